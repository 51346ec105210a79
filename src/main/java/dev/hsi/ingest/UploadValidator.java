package dev.hsi.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import dev.hsi.media.FastImages;
import dev.hsi.media.VideoProbe;
import java.awt.image.BufferedImage;
import dev.hsi.queue.PermanentFailure;

/**
 * Accepts an upload only when it is an image that decodes completely, or a clip ffprobe can read: a text file named
 * {@code .jpg}, an empty file, a truncated JPEG or a corrupt clip is rejected with the reason. Blocking (reads and
 * hashes the file, runs ffprobe): run on a worker.
 */
final class UploadValidator {

    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png");

    /** The original rejects clips under 1 KB: no real clip is that small, and ffprobe need not look at them. */
    static final long MIN_VIDEO_BYTES = 1024;

    private UploadValidator() {
    }

    static boolean hasImageExtension(Path path) {
        return IMAGE_EXTENSIONS.contains(extension(path));
    }

    /** An upload worth looking at: an image or a clip by its extension. */
    static boolean isAcceptedType(Path path) {
        return hasImageExtension(path) || VideoProbe.isVideoFile(path);
    }

    static ValidatedUpload validate(Path path) {
        if (VideoProbe.isVideoFile(path)) {
            return validateVideo(path);
        }
        if (!hasImageExtension(path)) {
            throw new RejectedFileException("unsupported file type (accepted: .jpg .jpeg .png .mp4 .mkv .avi .mov)");
        }
        byte[] content = read(path);
        if (content.length == 0) {
            throw new RejectedFileException("empty file (0 bytes)");
        }
        String format = extension(path).equals("png") ? "png" : "jpeg";
        if (format.equals("jpeg") && !endsWithJpegEndMarker(content)) {
            throw new RejectedFileException("truncated or not a JPEG: no end-of-image marker");
        }
        if (format.equals("png") && !endsWithPngEndChunk(content)) {
            throw new RejectedFileException("truncated or not a PNG: no IEND chunk at the end");
        }
        BufferedImage image = decodeFully(content, format);
        return new ValidatedUpload(path, content.length, sha256(content), "image", image);
    }

    private static ValidatedUpload validateVideo(Path path) {
        long size = sizeOf(path);
        if (size < MIN_VIDEO_BYTES) {
            throw new RejectedFileException("clip too small to be a video (" + size + " bytes)");
        }
        try {
            VideoProbe.probe(path);
        } catch (PermanentFailure e) {
            throw new RejectedFileException(e.getMessage());
        }
        return new ValidatedUpload(path, size, sha256(path), "video", null);
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (NoSuchFileException e) {
            throw new VanishedFileException();
        } catch (IOException e) {
            throw new RejectedFileException("cannot read file: " + e.getMessage());
        }
    }

    /** Blocking. A file's SHA-256, read in chunks: clips can be large. */
    static String sha256(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[1 << 16];
            for (int read; (read = in.read(chunk)) > 0; ) {
                digest.update(chunk, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchFileException e) {
            throw new VanishedFileException();
        } catch (IOException e) {
            throw new RejectedFileException("cannot read file: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new VanishedFileException();
        } catch (IOException e) {
            throw new RejectedFileException("cannot read file: " + e.getMessage());
        }
    }

    /** Cameras sometimes pad files with zeros after the JPEG's FFD9 marker; that is still a whole image. */
    private static boolean endsWithJpegEndMarker(byte[] content) {
        int end = content.length - 1;
        while (end > 0 && content[end] == 0) {
            end--;
        }
        return end >= 1 && (content[end - 1] & 0xFF) == 0xFF && (content[end] & 0xFF) == 0xD9;
    }

    /** PNG files end with an IEND chunk: its type and CRC are the last eight bytes. */
    private static boolean endsWithPngEndChunk(byte[] content) {
        int n = content.length;
        return n >= 12 && content[n - 8] == 'I' && content[n - 7] == 'E' && content[n - 6] == 'N' && content[n - 5] == 'D';
    }

    /** Every pixel is decoded (OpenCV's libjpeg-turbo or libpng, or ImageIO where OpenCV is unavailable). */
    private static BufferedImage decodeFully(byte[] content, String format) {
        BufferedImage image;
        try {
            image = FastImages.decode(content);
        } catch (IOException | RuntimeException e) {
            throw new RejectedFileException("image does not decode: " + e.getMessage());
        }
        if (image == null) {
            throw new RejectedFileException("image does not decode (not a valid " + format.toUpperCase() + ")");
        }
        if (image.getWidth() <= 0 || image.getHeight() <= 0) {
            throw new RejectedFileException("image has no pixels");
        }
        return image;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String extension(Path path) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
