package dev.hsi.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.app.HsiServer;
import dev.hsi.support.Api;
import dev.hsi.support.Db;
import dev.hsi.support.Eventually;
import dev.hsi.support.InFlight;
import dev.hsi.support.TestEnv;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The whole server with {@code DETECTOR_BACKEND=http} against a detector service that fails on chosen images
 * ({@link FlakyDetector}): the real HTTP client, retries, DLQ and requeue API at work.
 */
class DetectorFaultTest {

    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final int IMAGES = 9;
    /** Every third image fails while the fault lasts. */
    private static final int FAIL_EVERY = 3;

    @TempDir
    Path root;

    @Test
    @DisplayName("A detector that fails on chosen images: those end in dlq:detection_queue with its error,"
            + " attempt_count 3 and total_attempts 4 after retries 1 s, 2 s and 4 s apart, the others are stored; once"
            + " the fault clears, POST /api/dlq/requeue-all/detection_queue gets them detected, once each, and empties"
            + " the DLQ")
    void failingImagesAreDeadLetteredAndRequeuedAfterTheFaultClears() throws Exception {
        Path dataDir = root.resolve("data");
        Path basePath = dataDir.resolve("foscam");
        List<Uploads.Image> images = Uploads.prepare(root.resolve("images"), IMAGES);
        Map<Uploads.Image, String> hashes = new HashMap<>();
        for (Uploads.Image image : images) {
            hashes.put(image, FlakyDetector.sha256(Files.readAllBytes(image.local())));
        }
        List<Uploads.Image> chosen = images.stream().filter(image -> images.indexOf(image) % FAIL_EVERY == 2).toList();
        List<Uploads.Image> good = images.stream().filter(image -> !chosen.contains(image)).toList();

        try (FlakyDetector detector = new FlakyDetector()) {
            chosen.forEach(image -> detector.failOn(hashes.get(image)));
            Map<String, String> env = TestEnv.pipeline(dataDir);
            env.put("DETECTOR_BACKEND", "http");
            env.put("RTDETR_URL", detector.url());
            // the client's own retries off: each attempt of the queue is one request, so the counts below are exact
            env.put("DETECTOR_MAX_RETRIES", "0");
            env.put("AI_CONNECT_TIMEOUT", "2");
            env.put("RTDETR_READ_TIMEOUT", "5");
            try (HsiServer server = HsiServer.start(TestEnv.config(env));
                    Jedis redis = new Jedis(URI.create(server.redisUrl()))) {
                Api api = new Api(server.apiPort());
                Db db = new Db(server.database());

                // one image at a time, each settled before the next: the detector's circuit breaker opens after five
                // failures in a row, so the four of one failing image must not run into the next one's
                for (Uploads.Image image : images) {
                    Uploads.uploadAll(server.ftpPort(), List.of(image), 1);
                    String path = image.onServer(basePath).toString();
                    if (chosen.contains(image)) {
                        Eventually.await(SETTLE, image.name() + " dead-lettered",
                                () -> Outcomes.read(db, redis).deadLettered().contains(path));
                    } else {
                        Eventually.await(SETTLE, image.name() + " stored",
                                () -> Outcomes.read(db, redis).detections().containsKey(path));
                    }
                }

                List<JsonObject> entries = redis.lrange("dlq:detection_queue", 0, -1).stream().map(JsonObject::new)
                        .toList();
                assertThat(entries).extracting(entry -> entry.getJsonObject("original_job").getString("file_path"))
                        .containsExactlyInAnyOrderElementsOf(chosen.stream()
                                .map(image -> image.onServer(basePath).toString()).toList());
                for (JsonObject entry : entries) {
                    assertThat(entry.fieldNames()).containsExactly("original_job", "error", "attempt_count",
                            "first_failed_at", "last_failed_at", "queue_name", "total_attempts");
                    assertThat(entry.getString("error")).contains("HTTP 500").contains(FlakyDetector.FAULT);
                    assertThat(entry.getInteger("attempt_count")).as("retries").isEqualTo(3);
                    assertThat(entry.getInteger("total_attempts")).as("runs").isEqualTo(4);
                    assertThat(entry.getString("queue_name")).isEqualTo("detection_queue");
                    assertThat(Duration.between(Instant.parse(entry.getString("first_failed_at")),
                            Instant.parse(entry.getString("last_failed_at"))))
                            .as("the retries waited 1 s, 2 s and 4 s").isGreaterThanOrEqualTo(Duration.ofSeconds(7));
                }
                chosen.forEach(image -> assertThat(detector.calls(hashes.get(image)))
                        .as("requests for failing %s", image.name()).isEqualTo(4));
                assertThat(api.json("/api/dlq/stats").getInteger("detection_queue_count")).isEqualTo(chosen.size());
                assertThat(db.count("SELECT count(*) FROM processed_uploads")).isEqualTo(good.size());

                detector.clearFault();
                JsonObject requeued = api.post("/api/dlq/requeue-all/detection_queue").json();
                assertThat(requeued.getBoolean("success")).isTrue();
                assertThat(requeued.getInteger("requeued")).isEqualTo(chosen.size());
                assertThat(requeued.getBoolean("queue_full")).isFalse();

                Eventually.await(SETTLE, "every image stored", () -> images.stream().allMatch(image ->
                        Outcomes.read(db, redis).detections().containsKey(image.onServer(basePath).toString())));
                Eventually.await(SETTLE, "empty queues", () -> redis.llen("detection_queue") == 0
                        && redis.llen("analysis_queue") == 0 && Outcomes.read(db, redis).processing() == 0);
                assertThat(redis.llen("dlq:detection_queue")).as("DLQ after the requeue").isZero();
                assertThat(api.json("/api/dlq/stats").getInteger("total_count")).isZero();
                assertThat(InFlight.count(redis, "detection_queue")).isZero();

                // once each: one processed row and one run of detections per content
                List<Map<String, Object>> perHash = db.rows("SELECT p.file_hash, count(*) AS processed,"
                        + " (SELECT count(*) FROM detections d WHERE d.file_hash = p.file_hash) AS detections,"
                        + " (SELECT count(DISTINCT detected_at) FROM detections d"
                        + "   WHERE d.file_hash = p.file_hash) AS runs"
                        + " FROM processed_uploads p GROUP BY p.file_hash");
                assertThat(perHash).hasSize(IMAGES).allSatisfy(row -> {
                    assertThat(((Number) row.get("processed")).longValue()).as("processed rows").isEqualTo(1);
                    assertThat(((Number) row.get("detections")).longValue()).as("detections (one person)").isEqualTo(1);
                    assertThat(((Number) row.get("runs")).longValue()).as("runs stored").isEqualTo(1);
                });
                Outcomes.read(db, redis).assertEveryImageEndedOnce(images, basePath);
                chosen.forEach(image -> assertThat(detector.calls(hashes.get(image)))
                        .as("requests for requeued %s", image.name()).isEqualTo(5));
                good.forEach(image -> assertThat(detector.calls(hashes.get(image)))
                        .as("requests for %s", image.name()).isEqualTo(1));
            }
        }
    }
}
