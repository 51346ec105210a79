package dev.hsi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.app.HsiServer;
import dev.hsi.support.Api;
import dev.hsi.support.Eventually;
import dev.hsi.support.Images;
import dev.hsi.support.LogCapture;
import dev.hsi.support.TestEnv;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What was stored survives a restart on the same DATA_DIR: PostgreSQL rows and Redis state alike. */
class RestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    @DisplayName("After a restart on the same data directory every event, detection and camera is still served, and Redis remembers recent uploads")
    void restartKeepsEverything() throws Exception {
        Map<String, String> env = TestEnv.pipeline(dataDir);
        long eventId;
        JsonObject detectionsBefore;
        try (HsiServer server = HsiServer.start(TestEnv.config(env))) {
            curlUpload(server.ftpPort(), Images.PERSON, "Front%20Door/curl-upload.jpg");
            Api api = new Api(server.apiPort());
            eventId = Eventually.await(TIMEOUT, "an event for the curl upload", () -> {
                var events = api.json("/api/events?camera_id=front_door").getJsonArray("events");
                return events.isEmpty() ? null : events.getJsonObject(events.size() - 1).getLong("id");
            });
            // thumbnails are written after the detections are announced: compare once they are in
            detectionsBefore = Eventually.await(TIMEOUT, "the thumbnails of the detections", () -> {
                JsonObject detections = api.json("/api/detections?camera_id=front_door");
                boolean drawn = detections.getJsonArray("detections").stream()
                        .allMatch(d -> ((JsonObject) d).getString("thumbnail_path") != null);
                return drawn ? detections : null;
            });
        }

        try (HsiServer server = HsiServer.start(TestEnv.config(env));
                LogCapture log = new LogCapture(Class.forName("dev.hsi.ingest.Ingestor"))) {
            Api api = new Api(server.apiPort());
            JsonObject event = api.json("/api/events/" + eventId);
            assertThat(event.getString("camera_id")).isEqualTo("front_door");
            assertThat(event.getJsonArray("detections")).isNotEmpty();
            assertThat(api.json("/api/detections?camera_id=front_door")).isEqualTo(detectionsBefore);
            assertThat(api.json("/api/cameras").getJsonArray("cameras").stream()
                    .map(c -> ((JsonObject) c).getString("id"))).contains("front_door");

            curlUpload(server.ftpPort(), Images.PERSON, "Front%20Door/again.jpg");
            Eventually.await(TIMEOUT, "the re-upload to be recognised as a duplicate from Redis' append-only file",
                    () -> log.messagesContaining("again.jpg").stream().anyMatch(m -> m.contains("same content")));
        }
    }

    /** The README's quick start: curl uploads over FTP, creating the camera folder. */
    private static void curlUpload(int port, Path file, String remotePath) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder("curl", "--silent", "--show-error", "--ftp-create-dirs",
                "-T", file.toString(), "ftp://cam:secret@127.0.0.1:" + port + "/" + remotePath)
                .redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).as("curl exit code, output: " + output).isZero();
    }
}
