package dev.hsi.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Accepts an upload only when it is an image that decodes completely: a text file named {@code .jpg}, an empty
 * file or a truncated JPEG is rejected with the reason. Blocking (reads and hashes the file): run on a worker.
 */
final class ImageValidator {

    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png");

    private ImageValidator() {
    }

    static boolean hasImageExtension(Path path) {
        return IMAGE_EXTENSIONS.contains(extension(path));
    }

    static ValidatedImage validate(Path path) {
        if (!hasImageExtension(path)) {
            throw new RejectedFileException("unsupported file type (accepted: .jpg .jpeg .png)");
        }
        byte[] content = read(path);
        if (content.length == 0) {
            throw new RejectedFileException("empty file (0 bytes)");
        }
        String format = extension(path).equals("png") ? "png" : "jpeg";
        if (format.equals("jpeg") && !endsWithJpegEndMarker(content)) {
            throw new RejectedFileException("truncated or not a JPEG: no end-of-image marker");
        }
        int[] size = decodeFully(content, format);
        return new ValidatedImage(path, content.length, sha256(content), size[0], size[1]);
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new RejectedFileException("file disappeared before it could be read");
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

    private static int[] decodeFully(byte[] content, String format) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new RejectedFileException("not a decodable image (expected " + format.toUpperCase() + ")");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            try {
                reader.setInput(input, true, true);
                var image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new RejectedFileException("image is damaged: " + warnings.get(0));
                }
                return new int[] {image.getWidth(), image.getHeight()};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof RejectedFileException rejected) {
                throw rejected;
            }
            throw new RejectedFileException("image does not decode: " + e.getMessage());
        }
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
