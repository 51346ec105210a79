package dev.hsi.detect;

import dev.hsi.media.FastImages;
import dev.hsi.queue.PermanentFailure;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * One picture to detect objects in. A local model needs its pixels; a remote detector needs its encoded bytes.
 * Each form is made from the other on first use only, so neither backend pays for what it does not need.
 * Not thread-safe: a frame belongs to one detection job.
 */
public final class Frame {

    private final String name;
    /** The file the picture came from, read only if its bytes are asked for. */
    private final Path source;
    private byte[] encoded;
    private BufferedImage image;
    private Object preparedFor;
    private float[] prepared;

    private Frame(String name, Path source, byte[] encoded, BufferedImage image) {
        this.name = name;
        this.source = source;
        this.encoded = encoded;
        this.image = image;
    }

    /** Blocking: reads the file. A missing file can never be detected: {@link PermanentFailure}. */
    public static Frame ofFile(Path file) {
        return new Frame(file.getFileName().toString(), file, read(file), null);
    }

    /** An uploaded file whose pixels were already decoded (by the ingest stage): its bytes are read only if asked. */
    public static Frame ofDecodedFile(Path file, BufferedImage image) {
        return new Frame(file.getFileName().toString(), file, null, image);
    }

    /** A decoded picture, such as a frame taken from a video clip. */
    public static Frame ofImage(String name, BufferedImage image) {
        return new Frame(name, null, null, image);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PermanentFailure("image file no longer exists: " + file);
        } catch (IOException e) {
            throw new PermanentFailure("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    /** The pixels, decoded on first use. An undecodable file is a {@link PermanentFailure}. */
    public BufferedImage image() {
        if (image == null) {
            try {
                image = FastImages.decode(encoded);
            } catch (IOException e) {
                throw new PermanentFailure("image does not decode: " + name + ": " + e.getMessage(), e);
            }
            if (image == null) {
                throw new PermanentFailure("not a decodable image: " + name);
            }
        }
        return image;
    }

    /** The encoded bytes as uploaded; a decoded-only frame is encoded as JPEG on first use. */
    public byte[] encoded() {
        if (encoded == null && source != null) {
            encoded = read(source);
        }
        if (encoded == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                ImageIO.write(image, "jpeg", out);
            } catch (IOException e) {
                throw new UncheckedIOException("JPEG encoding failed for " + name, e);
            }
            encoded = out.toByteArray();
        }
        return encoded;
    }

    /**
     * The model input made from this frame ahead of inference (by the decode phase), if it was made for
     * {@code key} (the model's input size, layout and scale); null otherwise.
     */
    public float[] prepared(Object key) {
        return key.equals(preparedFor) ? prepared : null;
    }

    public void prepare(Object key, float[] input) {
        this.preparedFor = key;
        this.prepared = input;
    }

    public int width() {
        return image().getWidth();
    }

    public int height() {
        return image().getHeight();
    }
}
