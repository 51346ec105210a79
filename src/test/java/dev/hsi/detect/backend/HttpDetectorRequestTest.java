package dev.hsi.detect.backend;

import dev.hsi.detect.Frame;
import dev.hsi.detect.backend.HttpDetectorTest.FakeDetector;
import dev.hsi.support.Images;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.hsi.detect.backend.HttpDetectorTest.answer;
import static dev.hsi.detect.backend.HttpDetectorTest.config;
import static org.assertj.core.api.Assertions.assertThat;

/** What the http backend sends: the headers, the upload's content type, several uploads at once. */
class HttpDetectorRequestTest {

    private FakeDetector server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("The images of a batch are sent at the same time, not one after another")
    void batchIsConcurrent() throws Exception {
        server = new FakeDetector(upload -> new FakeDetector.Reply(200, answer(), 300));

        try (HttpDetector detector = HttpDetector.create(config(server.url(), 0), 8)) {
            detector.detect(List.of(Frame.ofFile(Images.PERSON), Frame.ofFile(Images.DOG), Frame.ofFile(Images.HORSES)));
        }
        assertThat(server.maxInFlight()).isEqualTo(3);
    }

    @Test
    @DisplayName("The X-API-Key header carries the configured key")
    void apiKeySent() throws Exception {
        server = new FakeDetector(upload -> FakeDetector.Reply.json(answer()));

        try (HttpDetector detector = HttpDetector.create(
                config(server.url(), Optional.of("s3cret"), Duration.ofSeconds(5), 0), 1)) {
            detector.detect(List.of(Frame.ofFile(Images.PERSON)));
        }
        assertThat(server.uploads().get(0).headers().getFirst("X-API-Key")).isEqualTo("s3cret");
    }

    @Test
    @DisplayName("No X-API-Key header is sent when no key is configured")
    void noApiKey() throws Exception {
        server = new FakeDetector(upload -> FakeDetector.Reply.json(answer()));

        try (HttpDetector detector = HttpDetector.create(config(server.url(), 0), 1)) {
            detector.detect(List.of(Frame.ofFile(Images.PERSON)));
        }
        assertThat(server.uploads().get(0).headers().containsKey("X-API-Key")).isFalse();
    }

    @Test
    @DisplayName("A PNG is uploaded as image/png, recognised by its magic bytes")
    void pngContentType(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("snapshot.png");
        ImageIO.write(new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        server = new FakeDetector(upload -> FakeDetector.Reply.json(answer()));

        try (HttpDetector detector = HttpDetector.create(config(server.url(), 0), 1)) {
            detector.detect(List.of(Frame.ofFile(png)));
        }
        FakeDetector.Upload upload = server.uploads().get(0);
        assertThat(upload.contentType()).isEqualTo("image/png");
        assertThat(upload.filename()).isEqualTo("snapshot.png");
        assertThat(upload.bytes()).isEqualTo(Files.readAllBytes(png));
    }
}
