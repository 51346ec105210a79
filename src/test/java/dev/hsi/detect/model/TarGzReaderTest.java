package dev.hsi.detect.model;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TarGzReaderTest {

    private static final String LONG_DIR = "package/" + "very-long-directory-name/".repeat(5);

    @Test
    void extractsWantedFilesAndSkipsTheRest() throws IOException {
        byte[] big = new byte[1500];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        Tar tar = new Tar()
                .entry("package/", '5', new byte[0])
                .entry("package/README.md", '0', text("not wanted"))
                .entry("package/models/centernet.bin", '0', big)
                .entry("package/LICENSE", '0', text("MIT License"));
        Map<String, byte[]> found = TarGzReader.extract(tar.gzip(),
                Set.of("package/models/centernet.bin", "package/LICENSE", "package/missing.json"));

        assertThat(found).containsOnlyKeys("package/models/centernet.bin", "package/LICENSE");
        assertThat(found.get("package/models/centernet.bin")).isEqualTo(big);
        assertThat(new String(found.get("package/LICENSE"), StandardCharsets.UTF_8)).isEqualTo("MIT License");
    }

    @Test
    void readsLongNamesFromUstarPrefixPaxAndGnuHeaders() throws IOException {
        String viaPrefix = LONG_DIR + "prefix.txt";
        String viaPax = LONG_DIR + "and-even-longer/" + "x".repeat(150) + "/pax.txt";
        String viaGnu = LONG_DIR + "gnu.txt";
        String paxRecord = " path=" + viaPax + "\n";
        // A pax record's length counts its own digits.
        int length = paxRecord.length() + String.valueOf(paxRecord.length()).length();
        Tar tar = new Tar()
                .ustar(LONG_DIR.substring(0, LONG_DIR.length() - 1), "prefix.txt", text("one"))
                .entry("PaxHeader/pax.txt", 'x', text(length + paxRecord))
                .entry("truncated-name", '0', text("two"))
                .entry("././@LongLink", 'L', text(viaGnu + "\0"))
                .entry("truncated-too", '0', text("three"));
        Map<String, byte[]> found = TarGzReader.extract(tar.gzip(), Set.of(viaPrefix, viaPax, viaGnu));

        assertThat(found).containsOnlyKeys(viaPrefix, viaPax, viaGnu);
        assertThat(new String(found.get(viaPax), StandardCharsets.UTF_8)).isEqualTo("two");
        assertThat(new String(found.get(viaGnu), StandardCharsets.UTF_8)).isEqualTo("three");
    }

    @Test
    void rejectsACorruptHeader() throws IOException {
        Tar tar = new Tar().entry("package/LICENSE", '0', text("MIT"));
        byte[] raw = tar.bytes();
        raw[3] ^= 0x20;
        assertThatThrownBy(() -> TarGzReader.extract(gzip(raw), Set.of("package/LICENSE")))
                .isInstanceOf(IOException.class).hasMessageContaining("checksum");
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteArrayInputStream gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(raw);
        }
        return new ByteArrayInputStream(gz.toByteArray());
    }

    /** Minimal ustar writer, enough to produce archives shaped like npm's. */
    private static final class Tar {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Tar entry(String name, char type, byte[] data) {
            return write("", name, type, data);
        }

        Tar ustar(String prefix, String name, byte[] data) {
            return write(prefix, name, '0', data);
        }

        byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(new byte[1024]);
            return all.toByteArray();
        }

        ByteArrayInputStream gzip() throws IOException {
            return TarGzReaderTest.gzip(bytes());
        }

        private Tar write(String prefix, String name, char type, byte[] data) {
            byte[] header = new byte[512];
            put(header, 0, name, 100);
            put(header, 100, "0000644", 8);
            put(header, 108, "0000000", 8);
            put(header, 116, "0000000", 8);
            put(header, 124, String.format("%011o", data.length), 12);
            put(header, 136, "00000000000", 12);
            header[156] = (byte) type;
            put(header, 257, "ustar", 6);
            put(header, 263, "00", 2);
            put(header, 345, prefix, 155);
            for (int i = 148; i < 156; i++) {
                header[i] = ' ';
            }
            long sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            put(header, 148, String.format("%06o", sum), 7);
            out.writeBytes(header);
            out.writeBytes(data);
            out.writeBytes(new byte[(512 - data.length % 512) % 512]);
            return this;
        }

        private static void put(byte[] header, int offset, String value, int max) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > max) {
                throw new IllegalArgumentException("too long for the field: " + value);
            }
            System.arraycopy(bytes, 0, header, offset, bytes.length);
        }
    }
}
