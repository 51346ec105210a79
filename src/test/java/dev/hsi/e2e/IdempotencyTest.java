package dev.hsi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.aggregate.AggregateVerticle;
import dev.hsi.app.HsiServer;
import dev.hsi.bus.AnalysisJob;
import dev.hsi.bus.DetectionJob;
import dev.hsi.support.Db;
import dev.hsi.support.Eventually;
import dev.hsi.support.Images;
import dev.hsi.support.InFlight;
import dev.hsi.support.LogCapture;
import dev.hsi.support.TestEnv;
import dev.hsi.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Delivery is at least once, so every stage must be idempotent: the same job run twice (pushed twice, or redelivered
 * after a crash) never duplicates a detection, a batch membership or an event. The whole server runs on embedded
 * PostgreSQL and Redis, and the tests push jobs onto its real queues as a redelivery would.
 *
 * <p>The pictures lie outside FOSCAM_BASE_PATH, so that the directory watcher never queues them on its own; their
 * cameras are registered directly. "Nothing more happens" is proven by a later marker on the same queue and camera,
 * never by sleeping: queues are consumed in order and the aggregator works serially, so once the marker's result
 * is in, everything pushed before it is done, and a stray batch would have swallowed the marker's detections.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** What the detector keeps from dog.jpg at the test threshold: one batch, no fast path. */
    private static final List<String> DOG_OBJECTS = List.of("bicycle", "car", "dog");

    @TempDir
    static Path dataDir;
    private HsiServer server;
    private Db db;
    private Jedis redis;
    private final AtomicInteger files = new AtomicInteger();

    @BeforeAll
    void startServer() {
        server = HsiServer.start(TestEnv.config(TestEnv.pipeline(dataDir)));
        db = new Db(server.database());
        redis = new Jedis(URI.create(server.redisUrl()));
    }

    @AfterAll
    void stopServer() {
        if (redis != null) {
            redis.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("A detection job delivered twice stores its objects once; the second run announces the same rows and the batch holds each once")
    void detectionJobDeliveredTwiceIsStoredOnce() throws Exception {
        String camera = registerCamera("twice");
        Path file = picture(camera, Images.DOG);
        String job = detectionJob(camera, file);

        try (WsClient ws = new WsClient(server.apiPort(), "/ws/events");
                LogCapture aggregator = new LogCapture(AggregateVerticle.class)) {
            redis.rpush("detection_queue", job, job);

            JsonObject event = ws.awaitMessage(TIMEOUT, m -> m.getString("type").equals("event")
                    && m.getJsonObject("data").getString("camera_id").equals(camera)).getJsonObject("data");
            awaitJobsDone("detection_queue", file.toString());

            List<Long> ids = detectionIds(file);
            assertThat(objectTypes(file)).as("one row per object, not one set per delivery").isEqualTo(DOG_OBJECTS);
            assertThat(linkedDetections(event.getLong("id"))).as("each detection is in the batch once")
                    .containsExactlyElementsOf(ids);
            assertThat(aggregator.messagesContaining("of camera " + camera + " closed with").get(0))
                    .as("the batch handed to analysis lists each detection once").contains("with 3 detection(s)");
            assertSingleEventPerBatchAfterMarker(camera, file);
            assertThat(ids).allSatisfy(id -> assertThat(aggregator.messagesContaining("Detection " + id + " was announced again"))
                    .as("the second run announced detection %d again and the aggregator recognised it", id).hasSize(1));
        }
    }

    @Test
    @DisplayName("A detection job run again after its batch closed neither starts a second batch nor a second event")
    void detectionJobRunAgainAfterItsBatchClosedAddsNothing() throws Exception {
        String camera = registerCamera("after_close");
        Path file = picture(camera, Images.DOG);
        String job = detectionJob(camera, file);

        redis.rpush("detection_queue", job);
        long eventId = awaitEventIds(camera, false, 1).get(0);
        List<Long> ids = detectionIds(file);

        try (LogCapture aggregator = new LogCapture(AggregateVerticle.class)) {
            redis.rpush("detection_queue", job);
            awaitJobsDone("detection_queue", file.toString());
            assertThat(detectionIds(file)).as("the same rows, with the same ids").isEqualTo(ids);
            assertSingleEventPerBatchAfterMarker(camera, file);
            assertThat(linkedDetections(eventId)).containsExactlyElementsOf(ids);
            assertThat(aggregator.messagesContaining("was announced again")).hasSize(ids.size());
        }
    }

    @Test
    @DisplayName("A fast-path detection announced twice is analysed once: one event for its batch")
    void fastPathDetectionAnnouncedTwiceGivesOneEvent() throws Exception {
        String camera = registerCamera("fast_twice");
        Path file = picture(camera, Images.PERSON);
        String job = detectionJob(camera, file);

        try (LogCapture aggregator = new LogCapture(AggregateVerticle.class)) {
            redis.rpush("detection_queue", job, job);
            awaitEventIds(camera, true, 1);
            awaitJobsDone("detection_queue", file.toString());
            List<Map<String, Object>> people = db.rows(
                    "SELECT id FROM detections WHERE file_path = ? AND object_type = 'person'", file.toString());
            assertThat(people).hasSize(1);
            long person = ((Number) people.get(0).get("id")).longValue();
            assertOneRowPerObject(file);

            // a later fast-path detection of the same camera: analysis runs its jobs in order, so a second
            // analysis of the first person would have been written before this one's event
            Path marker = picture(camera, Images.PERSON);
            redis.rpush("detection_queue", detectionJob(camera, marker));
            awaitEventIds(camera, true, 2);
            assertThat(db.count("SELECT count(*) FROM events WHERE batch_id = ?", "fast_path_" + person)).isEqualTo(1);
            assertThat(aggregator.messagesContaining("Detection " + person + " was announced again"))
                    .singleElement().asString().contains("fast path");
        }
    }

    @Test
    @DisplayName("An analysis job delivered twice writes one event, and the second run announces that event again")
    void analysisJobDeliveredTwiceWritesOneEvent() {
        String camera = registerCamera("analysed_twice");
        List<Long> ids = List.of(insertDetection(camera, "car"), insertDetection(camera, "dog"));
        String batchId = "redelivered-" + camera;
        String job = new AnalysisJob(batchId, camera, ids, Instant.now(), false).toJson().encode();

        try (WsClient ws = new WsClient(server.apiPort(), "/ws/events")) {
            redis.rpush("analysis_queue", job, job);

            long first = ws.awaitMessage(TIMEOUT, m -> isEventOfBatch(m, batchId)).getJsonObject("data").getLong("id");
            long second = ws.awaitMessage(TIMEOUT, m -> isEventOfBatch(m, batchId)).getJsonObject("data").getLong("id");
            assertThat(second).as("the same event, announced again").isEqualTo(first);
            assertThat(db.count("SELECT count(*) FROM events WHERE batch_id = ?", batchId)).isEqualTo(1);
            assertThat(linkedDetections(first)).containsExactlyElementsOf(ids);
        }
    }

    @Test
    @DisplayName("Stored detections published again in another batch do not make a second event")
    void detectionsOfAnEventPublishedAgainMakeNoSecondEvent() {
        String camera = registerCamera("published_again");
        List<Long> ids = List.of(insertDetection(camera, "car"), insertDetection(camera, "bicycle"));
        redis.rpush("analysis_queue", new AnalysisJob("first-" + camera, camera, ids, Instant.now(), false)
                .toJson().encode());
        long eventId = awaitEventIds(camera, false, 1).get(0);

        // the same detections in a batch of their own (their batch state expired and they were announced again),
        // then a marker batch: the analysis queue is consumed in order
        long fresh = insertDetection(camera, "truck");
        redis.rpush("analysis_queue",
                new AnalysisJob("again-" + camera, camera, ids, Instant.now(), false).toJson().encode(),
                new AnalysisJob("mixed-" + camera, camera, List.of(ids.get(0), fresh), Instant.now(), false)
                        .toJson().encode());
        List<Long> events = awaitEventIds(camera, false, 2);

        assertThat(db.count("SELECT count(*) FROM events WHERE batch_id = ?", "again-" + camera)).isZero();
        assertThat(linkedDetections(eventId)).containsExactlyElementsOf(ids);
        assertThat(linkedDetections(events.get(1))).as("a detection already in an event is left out of the next")
                .containsExactly(fresh);
        assertThat(db.count("SELECT count(*) FROM event_detections WHERE detection_id = ?", ids.get(0))).isEqualTo(1);
    }

    /**
     * Queues a second picture of the same camera and waits for its event: had a detection announced again opened
     * a batch, the marker's detections would have joined it, and it would carry the first picture's detections too.
     */
    private void assertSingleEventPerBatchAfterMarker(String camera, Path first) throws IOException {
        Path marker = picture(camera, Images.DOG);
        redis.rpush("detection_queue", detectionJob(camera, marker));
        List<Long> events = awaitEventIds(camera, false, 2);
        assertThat(linkedDetections(events.get(0))).containsExactlyElementsOf(detectionIds(first));
        assertThat(linkedDetections(events.get(1))).containsExactlyElementsOf(detectionIds(marker));
        assertThat(objectTypes(first)).isEqualTo(DOG_OBJECTS);
        assertThat(db.count("SELECT count(*) FROM events WHERE camera_id = ?", camera)).isEqualTo(2);
    }

    /** A camera of its own per test, registered as ingest would (detections reference cameras). */
    private String registerCamera(String id) {
        Path folder = dataDir.resolve("staging").resolve(id);
        db.rows("INSERT INTO cameras (id, name, folder_path) VALUES (?, ?, ?) RETURNING id", id, id, folder.toString());
        return id;
    }

    /** A copy of the image with its own content (zero padding, which decoders ignore) and path. */
    private Path picture(String camera, Path image) throws IOException {
        Path folder = Files.createDirectories(dataDir.resolve("staging").resolve(camera));
        byte[] photo = Files.readAllBytes(image);
        int n = files.incrementAndGet();
        return Files.write(folder.resolve("snap-" + n + ".jpg"), Arrays.copyOf(photo, photo.length + n));
    }

    /** The job ingest would queue for the file, as JSON: the same text each time, as a redelivery has. */
    private static String detectionJob(String camera, Path file) throws IOException {
        Instant uploaded = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new DetectionJob(camera, file.toString(), uploaded, "image", uploaded, sha256(file)).toJson().encode();
    }

    private long insertDetection(String camera, String objectType) {
        List<Map<String, Object>> row = db.rows("INSERT INTO detections (camera_id, file_path, file_hash, detected_at,"
                        + " object_type, confidence, bbox_x, bbox_y, bbox_width, bbox_height)"
                        + " VALUES (?, ?, 'none', ?, ?, 0.8, 10, 10, 50, 50) RETURNING id",
                camera, dataDir.resolve("staging").resolve(camera + ".jpg").toString(),
                Timestamp.from(Instant.now()), objectType);
        return ((Number) row.get(0).get("id")).longValue();
    }

    /** Both lists a job can be in until it is acknowledged: waiting, and claimed by a consumer. */
    private void awaitJobsDone(String queue, String fragment) {
        Eventually.await(TIMEOUT, "the jobs of " + fragment + " to be acknowledged", () ->
                redis.lrange(queue, 0, -1).stream().noneMatch(job -> job.contains(fragment))
                        && InFlight.jobs(redis, queue).stream().noneMatch(job -> job.contains(fragment)));
    }

    /** The camera's event ids (fast-path ones, or batched ones), oldest first, once there are {@code count}. */
    private List<Long> awaitEventIds(String camera, boolean fastPath, int count) {
        List<Long> ids = Eventually.await(TIMEOUT, count + " event(s) of camera " + camera, () -> {
            List<Long> found = db.rows("SELECT id FROM events WHERE camera_id = ? AND is_fast_path = ? ORDER BY id",
                            camera, fastPath).stream()
                    .map(row -> ((Number) row.get("id")).longValue()).toList();
            return found.size() >= count ? found : null;
        });
        assertThat(ids).as("events of camera " + camera).hasSize(count);
        return ids;
    }

    private void assertOneRowPerObject(Path file) {
        long rows = db.count("SELECT count(*) FROM detections WHERE file_path = ?", file.toString());
        assertThat(rows).isPositive()
                .isEqualTo(db.count("SELECT count(DISTINCT object_index) FROM detections WHERE file_path = ?",
                        file.toString()));
    }

    private List<Long> detectionIds(Path file) {
        return db.rows("SELECT id FROM detections WHERE file_path = ? ORDER BY id", file.toString()).stream()
                .map(row -> ((Number) row.get("id")).longValue()).toList();
    }

    private List<String> objectTypes(Path file) {
        return db.rows("SELECT object_type FROM detections WHERE file_path = ? ORDER BY object_type", file.toString())
                .stream().map(row -> (String) row.get("object_type")).toList();
    }

    private List<Long> linkedDetections(long eventId) {
        return db.rows("SELECT detection_id FROM event_detections WHERE event_id = ? ORDER BY detection_id", eventId)
                .stream().map(row -> ((Number) row.get("detection_id")).longValue()).toList();
    }

    private static boolean isEventOfBatch(JsonObject message, String batchId) {
        return message.getString("type").equals("event") && message.getJsonObject("data").getString("batch_id").equals(batchId);
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
