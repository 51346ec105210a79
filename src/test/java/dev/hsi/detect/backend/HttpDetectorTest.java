package dev.hsi.detect.backend;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hsi.config.HttpDetectorConfig;
import dev.hsi.detect.DetectedObject;
import dev.hsi.detect.Frame;
import dev.hsi.support.Images;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The http backend against a local server speaking the detector service's contract: answers that work. */
class HttpDetectorTest {

    private FakeDetector server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpDetectorConfig config(String url, Optional<String> apiKey, Duration readTimeout, int retries) {
        return new HttpDetectorConfig(url, apiKey, Duration.ofSeconds(2), readTimeout, retries, Duration.ofMillis(5));
    }

    static HttpDetectorConfig config(String url, int retries) {
        return config(url, Optional.empty(), Duration.ofSeconds(5), retries);
    }

    static String detection(String label, double confidence, String bbox) {
        return "{\"class\":\"" + label + "\",\"confidence\":" + confidence + ",\"bbox\":" + bbox + "}";
    }

    static String answer(String... detections) {
        return "{\"detections\":[" + String.join(",", detections) + "],\"inference_time_ms\":41.5,"
                + "\"image_width\":640,\"image_height\":424,\"model\":\"rtdetrv2_r50vd\"}";
    }

    @Test
    @DisplayName("A batch of three images is sent as three uploads and answered in frame order")
    void batchInFrameOrder() throws Exception {
        List<Path> images = List.of(Images.PERSON, Images.DOG, Images.HORSES);
        Map<Integer, String> answers = Map.of(
                (int) Files.size(Images.PERSON), answer(detection("person", 0.93, "{\"x\":190,\"y\":98,\"width\":84,\"height\":280}")),
                (int) Files.size(Images.DOG), answer(detection("dog", 0.88, "{\"x\":120,\"y\":220,\"width\":200,\"height\":190}"),
                        detection("bicycle", 0.71, "{\"x\":100,\"y\":110,\"width\":350,\"height\":230}")),
                (int) Files.size(Images.HORSES), answer());
        server = new FakeDetector(upload -> FakeDetector.Reply.json(answers.get(upload.bytes().length)));

        try (HttpDetector detector = HttpDetector.create(config(server.url(), 0), 8)) {
            List<List<DetectedObject>> results = detector.detect(images.stream().map(Frame::ofFile).toList());

            assertThat(results).containsExactly(
                    List.of(new DetectedObject("person", 0.93, 190, 98, 84, 280)),
                    List.of(new DetectedObject("dog", 0.88, 120, 220, 200, 190),
                            new DetectedObject("bicycle", 0.71, 100, 110, 350, 230)),
                    List.of());
        }
        assertThat(server.requests()).isEqualTo(3);
        for (Path image : images) {
            FakeDetector.Upload upload = server.uploads().stream()
                    .filter(u -> u.filename().equals(image.getFileName().toString())).findFirst().orElseThrow();
            assertThat(upload.bytes()).isEqualTo(Files.readAllBytes(image));
            assertThat(upload.contentType()).isEqualTo("image/jpeg");
        }
    }

    @Test
    @DisplayName("A bbox given as [x, y, width, height] is read like the object form")
    void bboxAsArray() throws Exception {
        server = new FakeDetector(upload -> FakeDetector.Reply.json(answer(detection("car", 0.8, "[10.4, 20.6, 100.2, 50]"))));

        try (HttpDetector detector = HttpDetector.create(config(server.url(), 0), 1)) {
            assertThat(detector.detect(List.of(Frame.ofFile(Images.PERSON))))
                    .containsExactly(List.of(new DetectedObject("car", 0.8, 10, 21, 101, 50)));
        }
    }

    @Test
    @DisplayName("Boxes are clamped to the image size the service reports")
    void clampedToReportedImage() throws Exception {
        server = new FakeDetector(upload -> FakeDetector.Reply.json(answer(
                detection("person", 0.9, "{\"x\":-12,\"y\":400,\"width\":100,\"height\":60}"),
                detection("cat", 0.6, "{\"x\":700,\"y\":10,\"width\":20,\"height\":20}"))));

        try (HttpDetector detector = HttpDetector.create(config(server.url(), 0), 1)) {
            assertThat(detector.detect(List.of(Frame.ofFile(Images.PERSON))))
                    .containsExactly(List.of(new DetectedObject("person", 0.9, 0, 400, 88, 24)));
        }
    }

    @Test
    @DisplayName("Without an image size in the answer, boxes are clamped to the frame")
    void clampedToFrame() throws Exception {
        server = new FakeDetector(upload -> FakeDetector.Reply.json(
                "{\"detections\":[" + detection("dog", 0.7, "[700, 500, 200, 200]") + "]}"));

        try (HttpDetector detector = HttpDetector.create(config(server.url(), 0), 1)) {
            assertThat(detector.detect(List.of(Frame.ofFile(Images.DOG))))
                    .containsExactly(List.of(new DetectedObject("dog", 0.7, 700, 500, 68, 76)));
        }
    }

    @Test
    @DisplayName("describe() names the URL, both timeouts and the retry count; maxBatch() is the one given")
    void describeAndMaxBatch() {
        HttpDetectorConfig config = new HttpDetectorConfig("http://gpu-box:8090", Optional.empty(),
                Duration.ofSeconds(10), Duration.ofMillis(60_500), 3, Duration.ofSeconds(1));
        try (HttpDetector detector = HttpDetector.create(config, 4)) {
            assertThat(detector.describe())
                    .isEqualTo("http detector at http://gpu-box:8090 (timeouts connect 10s / read 60.5s, 3 retries)");
            assertThat(detector.maxBatch()).isEqualTo(4);
        }
    }

    /** A detector service on 127.0.0.1 that parses the multipart upload and answers as it is told. */
    static final class FakeDetector implements AutoCloseable {

        record Upload(int number, String filename, String contentType, byte[] bytes, Headers headers) {
        }

        record Reply(int status, String body, long delayMillis) {
            static Reply json(String body) {
                return new Reply(200, body, 0);
            }
        }

        private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
        private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");

        private final HttpServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool();
        private final List<Upload> uploads = new CopyOnWriteArrayList<>();
        private final AtomicInteger requests = new AtomicInteger();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger maxInFlight = new AtomicInteger();
        private final Function<Upload, Reply> answer;

        FakeDetector(Function<Upload, Reply> answer) throws IOException {
            this.answer = answer;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/detect", this::handle);
            // concurrent handlers: a batch arrives at once, and a slow answer must not hold up the next request
            server.setExecutor(executor);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        int requests() {
            return requests.get();
        }

        /** The most requests the server was answering at one time. */
        int maxInFlight() {
            return maxInFlight.get();
        }

        List<Upload> uploads() {
            return uploads;
        }

        private void handle(HttpExchange exchange) throws IOException {
            int number = requests.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            byte[] body = exchange.getRequestBody().readAllBytes();
            Upload upload = "POST".equals(exchange.getRequestMethod())
                    ? fileField(number, exchange.getRequestHeaders(), body) : null;
            Reply reply = upload == null
                    ? new Reply(422, "{\"detail\":\"field 'file' required\"}", 0)
                    : answer.apply(upload);
            if (upload != null) {
                uploads.add(upload);
            }
            try (exchange) {
                Thread.sleep(reply.delayMillis());
                byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(reply.status(), bytes.length);
                exchange.getResponseBody().write(bytes);
            } catch (InterruptedException e) {
                // the test is over and the server is stopping: the client gets a closed connection
            } finally {
                inFlight.decrementAndGet();
            }
        }

        /** The {@code file} part of a multipart/form-data body, or null when there is none. */
        private static Upload fileField(int number, Headers headers, byte[] body) {
            Matcher boundary = BOUNDARY.matcher(String.valueOf(headers.getFirst("Content-Type")));
            if (!boundary.find()) {
                return null;
            }
            byte[] delimiter = ("--" + boundary.group(1)).getBytes(StandardCharsets.ISO_8859_1);
            byte[] separator = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            int start = indexOf(body, delimiter, 0);
            while (start >= 0) {
                int headerStart = start + delimiter.length + 2;
                int headerEnd = indexOf(body, separator, headerStart);
                int next = indexOf(body, ("\r\n" + new String(delimiter, StandardCharsets.ISO_8859_1))
                        .getBytes(StandardCharsets.ISO_8859_1), headerEnd);
                if (headerEnd < 0 || next < 0) {
                    return null;
                }
                String partHeaders = new String(body, headerStart, headerEnd - headerStart, StandardCharsets.UTF_8);
                Matcher filename = FILENAME.matcher(partHeaders);
                if (partHeaders.contains("name=\"file\"") && filename.find()) {
                    String type = partHeaders.lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                            .map(l -> l.substring("content-type:".length()).strip()).findFirst().orElse("");
                    return new Upload(number, filename.group(1), type,
                            Arrays.copyOfRange(body, headerEnd + separator.length, next), headers);
                }
                start = next + 2;
            }
            return null;
        }

        private static int indexOf(byte[] data, byte[] pattern, int from) {
            outer:
            for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
                for (int j = 0; j < pattern.length; j++) {
                    if (data[i + j] != pattern[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
