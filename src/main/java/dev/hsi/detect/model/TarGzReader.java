package dev.hsi.detect.model;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Pulls named regular files out of a gzip-compressed tar (such as an npm package tarball) with the
 * JDK alone. Understands ustar headers with their name prefix, plus the two long-name extensions
 * (pax "path" records and GNU 'L' entries) so a long path cannot shift the stream out of sync.
 */
final class TarGzReader {

    private static final int BLOCK = 512;
    private static final int MAX_ENTRY = Integer.MAX_VALUE - 64;

    private TarGzReader() {
    }

    /**
     * Returns the contents of the wanted entries that exist in the archive, by path. Stops reading
     * as soon as all of them are found.
     */
    static Map<String, byte[]> extract(InputStream gzipped, Set<String> wanted) throws IOException {
        InputStream in = new BufferedInputStream(new GZIPInputStream(gzipped, 1 << 16), 1 << 16);
        Map<String, byte[]> found = new HashMap<>();
        String longName = null;
        byte[] header = new byte[BLOCK];
        while (found.size() < wanted.size() && readHeader(in, header)) {
            long size = number(header, 124, 12);
            if (size < 0 || size > MAX_ENTRY) {
                throw new IOException("tar entry size out of range: " + size);
            }
            char type = (char) header[156];
            String name = longName != null ? longName : ustarName(header);
            longName = null;
            switch (type) {
                case 'x' -> longName = paxPath(readData(in, size));
                case 'L' -> longName = cString(readData(in, size), 0, (int) size);
                case '0', '\0', '7' -> {
                    if (wanted.contains(name)) {
                        found.put(name, readData(in, size));
                    } else {
                        skipData(in, size);
                    }
                }
                default -> skipData(in, size);
            }
        }
        return found;
    }

    /** False at the end-of-archive marker (a zero block) or a clean end of stream. */
    private static boolean readHeader(InputStream in, byte[] header) throws IOException {
        int n = in.readNBytes(header, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException("tar archive ends inside a header");
        }
        long sum = 0;
        boolean allZero = true;
        for (int i = 0; i < BLOCK; i++) {
            allZero &= header[i] == 0;
            // The checksum is computed with its own field read as spaces.
            sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xff;
        }
        if (allZero) {
            return false;
        }
        long stored = number(header, 148, 8);
        if (stored != sum) {
            throw new IOException("corrupt tar header: checksum " + stored + " != " + sum);
        }
        return true;
    }

    private static String ustarName(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = cString(header, 257, 6).startsWith("ustar");
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** Octal ASCII, or big-endian binary when the high bit of the first byte is set (GNU, for big sizes). */
    private static long number(byte[] header, int offset, int length) {
        if ((header[offset] & 0x80) != 0) {
            long value = header[offset] & 0x7f;
            for (int i = 1; i < length; i++) {
                value = (value << 8) | (header[offset + i] & 0xff);
            }
            return value;
        }
        int i = offset;
        int end = offset + length;
        while (i < end && header[i] == ' ') {
            i++;
        }
        long value = 0;
        for (; i < end && header[i] >= '0' && header[i] <= '7'; i++) {
            value = value * 8 + (header[i] - '0');
        }
        return value;
    }

    /** Pax records are "LENGTH key=value\n", LENGTH counting bytes; only the path matters here. */
    private static String paxPath(byte[] data) throws IOException {
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException("corrupt pax header", e);
            }
            if (length < space - pos + 2 || pos + length > data.length) {
                throw new IOException("corrupt pax header record length " + length);
            }
            // The record runs from after the space to before its trailing newline.
            String record = new String(data, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
            if (record.startsWith("path=")) {
                return record.substring(5);
            }
            pos += length;
        }
        return null;
    }

    private static String cString(byte[] bytes, int offset, int max) {
        int end = offset;
        while (end < offset + max && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException("tar archive ends inside an entry");
        }
        in.skipNBytes(padding(size));
        return data;
    }

    private static void skipData(InputStream in, long size) throws IOException {
        in.skipNBytes(size + padding(size));
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }
}
