package dev.hsi.detect.backend;

import dev.hsi.detect.DetectedObject;
import dev.hsi.detect.Frame;
import dev.hsi.detect.backend.HttpDetector.DetectorUnavailableException;
import dev.hsi.detect.backend.HttpDetectorTest.FakeDetector;
import dev.hsi.detect.backend.HttpDetectorTest.FakeDetector.Reply;
import dev.hsi.queue.PermanentFailure;
import dev.hsi.support.Images;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.hsi.detect.backend.HttpDetectorTest.answer;
import static dev.hsi.detect.backend.HttpDetectorTest.config;
import static dev.hsi.detect.backend.HttpDetectorTest.detection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The http backend's retry policy, against a local detector service that misbehaves on purpose. */
class HttpDetectorFailureTest {

    private static final String PERSON = answer(detection("person", 0.93, "{\"x\":190,\"y\":98,\"width\":84,\"height\":280}"));

    private FakeDetector server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static List<Frame> person() {
        return List.of(Frame.ofFile(Images.PERSON));
    }

    @Test
    @DisplayName("Two HTTP 500 answers are retried and the third attempt's answer is returned")
    void retriesServerErrors() throws Exception {
        server = new FakeDetector(upload -> upload.number() <= 2
                ? new Reply(500, "{\"detail\":\"CUDA out of memory\"}", 0) : Reply.json(PERSON));

        try (HttpDetector detector = HttpDetector.create(config(server.url(), 3), 1)) {
            assertThat(detector.detect(person()))
                    .containsExactly(List.of(new DetectedObject("person", 0.93, 190, 98, 84, 280)));
        }
        assertThat(server.requests()).isEqualTo(3);
    }

    @Test
    @DisplayName("A service that always answers 503 is given up after one attempt plus maxRetries")
    void exhaustsRetries() throws Exception {
        server = new FakeDetector(upload -> new Reply(503, "{\"detail\":\"model loading\"}", 0));

        try (HttpDetector detector = HttpDetector.create(config(server.url(), 3), 1)) {
            assertThatThrownBy(() -> detector.detect(person()))
                    .isInstanceOf(DetectorUnavailableException.class)
                    .hasMessageContaining(server.url())
                    .hasMessageContaining("4 attempts")
                    .hasMessageContaining("HTTP 503: model loading");
        }
        assertThat(server.requests()).isEqualTo(4);
    }

    @Test
    @DisplayName("An HTTP 400 refuses the image at once, with the service's reason")
    void clientErrorIsPermanent() throws Exception {
        server = new FakeDetector(upload -> new Reply(400, "{\"detail\":\"Invalid image file\"}", 0));

        try (HttpDetector detector = HttpDetector.create(config(server.url(), 3), 1)) {
            assertThatThrownBy(() -> detector.detect(person()))
                    .isInstanceOf(PermanentFailure.class)
                    .hasMessageContaining("person.jpg")
                    .hasMessageContaining("HTTP 400")
                    .hasMessageContaining("Invalid image file");
        }
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    @DisplayName("An HTTP 429 from a rate-limiting proxy is retried, not taken as a refused image")
    void rateLimitIsRetried() throws Exception {
        server = new FakeDetector(upload -> upload.number() == 1
                ? new Reply(429, "slow down", 0) : Reply.json(PERSON));

        try (HttpDetector detector = HttpDetector.create(config(server.url(), 3), 1)) {
            assertThat(detector.detect(person())).hasSize(1);
        }
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    @DisplayName("An answer slower than the read timeout is retried, then reported as a timeout")
    void readTimeout() throws Exception {
        server = new FakeDetector(upload -> new Reply(200, PERSON, 1_500));

        try (HttpDetector detector = HttpDetector.create(
                config(server.url(), Optional.empty(), Duration.ofMillis(200), 1), 1)) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> detector.detect(person()))
                    .isInstanceOf(DetectorUnavailableException.class)
                    .hasMessageContaining("2 attempts")
                    .hasMessageContaining("timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1_400));
        }
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    @DisplayName("A 200 answer that is not the contract is retried, then reported as malformed with its start")
    void garbageBody() throws Exception {
        server = new FakeDetector(upload -> Reply.json("<html>oops</html>"));

        try (HttpDetector detector = HttpDetector.create(config(server.url(), 2), 1)) {
            assertThatThrownBy(() -> detector.detect(person()))
                    .isInstanceOf(DetectorUnavailableException.class)
                    .hasMessageContaining("3 attempts")
                    .hasMessageContaining("malformed response")
                    .hasMessageContaining("not a JSON object")
                    .hasMessageContaining("<html>oops</html>");
        }
        assertThat(server.requests()).isEqualTo(3);
    }

    @Test
    @DisplayName("A JSON answer of the wrong shape is retried like any other malformed answer")
    void wrongShape() throws Exception {
        server = new FakeDetector(upload -> upload.number() == 1
                ? Reply.json("{\"detections\":[{\"class\":\"person\",\"confidence\":\"high\",\"bbox\":[1,2,3,4]}]}")
                : Reply.json(PERSON));

        try (HttpDetector detector = HttpDetector.create(config(server.url(), 1), 1)) {
            assertThat(detector.detect(person())).hasSize(1);
        }
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    @DisplayName("A closed port is retried, then reported with the URL that refused the connection")
    void connectionRefused() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;

        try (HttpDetector detector = HttpDetector.create(config(url, 1), 1)) {
            assertThatThrownBy(() -> detector.detect(person()))
                    .isInstanceOf(DetectorUnavailableException.class)
                    .hasMessageContaining(url)
                    .hasMessageContaining("2 attempts")
                    .hasMessageContaining("ConnectException");
        }
    }

    @Test
    @DisplayName("One refused image in a batch fails the call, naming that image, after the others are answered")
    void refusedImageInBatch() throws Exception {
        server = new FakeDetector(upload -> upload.filename().equals("dog.jpg")
                ? new Reply(413, "{\"detail\":\"Image too large\"}", 0) : Reply.json(PERSON));

        try (HttpDetector detector = HttpDetector.create(config(server.url(), 3), 4)) {
            assertThatThrownBy(() -> detector.detect(List.of(
                    Frame.ofFile(Images.PERSON), Frame.ofFile(Images.DOG), Frame.ofFile(Images.HORSES))))
                    .isInstanceOf(PermanentFailure.class)
                    .hasMessageContaining("dog.jpg")
                    .hasMessageContaining("HTTP 413: Image too large");
        }
        assertThat(server.requests()).isEqualTo(3);
    }

    @Test
    @DisplayName("A closed detector takes no more images")
    void closed() {
        HttpDetector detector = HttpDetector.create(config("http://127.0.0.1:9", 0), 1);
        detector.close();

        assertThatThrownBy(() -> detector.detect(person()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
