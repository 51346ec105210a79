package dev.hsi.ingest;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadValidatorTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("A real camera JPEG is accepted as an image with its size and SHA-256")
    void acceptsJpeg() throws Exception {
        byte[] bytes = resource("/images/person.jpg");
        Path file = write("person.jpg", bytes);

        ValidatedUpload image = UploadValidator.validate(file);

        assertThat(image.path()).isEqualTo(file);
        assertThat(image.size()).isEqualTo(bytes.length);
        assertThat(image.mediaType()).isEqualTo("image");
        assertThat(image.sha256()).isEqualTo(jdkSha256(bytes));
    }

    @Test
    @DisplayName("A PNG is accepted as an image")
    void acceptsPng() throws IOException {
        Path file = dir.resolve("snapshot.png");
        ImageIO.write(new BufferedImage(32, 20, BufferedImage.TYPE_INT_RGB), "png", file.toFile());

        ValidatedUpload image = UploadValidator.validate(file);

        assertThat(image.mediaType()).isEqualTo("image");
        assertThat(image.size()).isEqualTo(Files.size(file));
    }

    @Test
    @DisplayName("A JPEG padded with zero bytes after its end marker, as some cameras write, is accepted")
    void acceptsZeroPaddedJpeg() throws IOException {
        byte[] bytes = resource("/images/person.jpg");
        Path file = write("padded.jpg", Arrays.copyOf(bytes, bytes.length + 512));

        ValidatedUpload image = UploadValidator.validate(file);

        assertThat(image.mediaType()).isEqualTo("image");
        assertThat(image.size()).isEqualTo(bytes.length + 512);
    }

    @Test
    @DisplayName("A text file named .jpg is rejected as not a JPEG")
    void rejectsTextNamedJpg() throws IOException {
        Path file = write("notes.jpg", "this is not a picture\n".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> UploadValidator.validate(file))
                .isInstanceOf(RejectedFileException.class)
                .hasMessage("truncated or not a JPEG: no end-of-image marker");
    }

    @Test
    @DisplayName("An empty .jpg is rejected as an empty file")
    void rejectsEmptyFile() throws IOException {
        Path file = write("empty.jpg", new byte[0]);

        assertThatThrownBy(() -> UploadValidator.validate(file))
                .isInstanceOf(RejectedFileException.class)
                .hasMessage("empty file (0 bytes)");
    }

    @Test
    @DisplayName("A JPEG cut in half (an interrupted upload) is rejected as truncated")
    void rejectsTruncatedJpeg() throws IOException {
        byte[] bytes = resource("/images/person.jpg");
        Path file = write("half.jpg", Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> UploadValidator.validate(file))
                .isInstanceOf(RejectedFileException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    @DisplayName("A PNG cut in half is rejected as truncated: its IEND chunk is missing")
    void rejectsTruncatedPng() throws IOException {
        Path whole = dir.resolve("whole.png");
        ImageIO.write(noise(64, 64), "png", whole.toFile());
        byte[] bytes = Files.readAllBytes(whole);
        Path file = write("half.png", Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> UploadValidator.validate(file))
                .isInstanceOf(RejectedFileException.class)
                .hasMessageStartingWith("truncated or not a PNG");
    }

    @Test
    @DisplayName("A .gif is rejected by extension, naming the accepted types")
    void rejectsGifExtension() throws IOException {
        Path file = dir.resolve("anim.gif");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "gif", file.toFile());

        assertThatThrownBy(() -> UploadValidator.validate(file))
                .isInstanceOf(RejectedFileException.class)
                .hasMessage("unsupported file type (accepted: .jpg .jpeg .png .mp4 .mkv .avi .mov)");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = UploadValidatorTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static String jdkSha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Incompressible pixels, so that half the file holds only part of the image data. */
    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        return image;
    }

    @Test
    @DisplayName("A playable clip is accepted as a video; random bytes named .mp4 are rejected with ffprobe's reason")
    void clips(@TempDir Path dir) throws Exception {
        Path clip = dev.hsi.support.TestClips.personClip(dir);
        assertThat(UploadValidator.validate(clip).mediaType()).isEqualTo("video");

        Path corrupt = dir.resolve("corrupt.mp4");
        java.nio.file.Files.write(corrupt, new byte[4096]);
        assertThatThrownBy(() -> UploadValidator.validate(corrupt))
                .isInstanceOf(RejectedFileException.class).hasMessageStartingWith("not a playable video");
        Path tiny = java.nio.file.Files.write(dir.resolve("tiny.mov"), new byte[10]);
        assertThatThrownBy(() -> UploadValidator.validate(tiny)).hasMessageContaining("too small");
    }
}
