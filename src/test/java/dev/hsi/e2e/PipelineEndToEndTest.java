package dev.hsi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.support.Api;
import dev.hsi.support.Eventually;
import dev.hsi.support.Images;
import dev.hsi.support.InFlight;
import dev.hsi.support.LogCapture;
import dev.hsi.support.PipelineServerTest;
import dev.hsi.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The whole server on embedded PostgreSQL and Redis, driven as cameras and users do: FTP, REST, WebSocket. */
class PipelineEndToEndTest extends PipelineServerTest {

    private static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(60);

    @Test
    @DisplayName("A photo of a person uploaded over FTP becomes stored detections, a fast-path event on the WebSocket and the same data over REST")
    void personPhotoFlowsThroughThePipeline() {
        try (WsClient ws = new WsClient(server.apiPort(), "/ws/events")) {
            ftp.upload(Images.PERSON, "Front Door", "snap-001.jpg");

            JsonObject message = ws.awaitMessage(PIPELINE_TIMEOUT, m -> m.getString("type").equals("event")
                    && m.getJsonObject("data").getString("camera_id").equals("front_door")
                    && m.getJsonObject("data").getBoolean("is_fast_path"));
            JsonObject event = message.getJsonObject("data");
            long eventId = event.getLong("id");
            assertThat(event.getLong("event_id")).isEqualTo(eventId);
            assertThat(event.getInteger("risk_score")).isBetween(0, 100);
            assertThat(event.getString("risk_level")).isIn("low", "medium", "high", "critical");
            assertThat(event.getString("summary")).containsIgnoringCase("person").contains("Front Door");

            String file = dataDir.resolve("foscam/Front Door/snap-001.jpg").toString();
            List<Map<String, Object>> people = db.rows(
                    "SELECT id, confidence, bbox_x, bbox_y, bbox_width, bbox_height FROM detections"
                            + " WHERE file_path = ? AND object_type = 'person'", file);
            assertThat(people).hasSize(1);
            Map<String, Object> person = people.get(0);
            assertThat((Double) person.get("confidence")).isGreaterThan(0.6);
            int x = (Integer) person.get("bbox_x");
            int y = (Integer) person.get("bbox_y");
            int width = (Integer) person.get("bbox_width");
            int height = (Integer) person.get("bbox_height");
            assertThat(x + width / 2).as("person stands left of centre of the 640 px wide photo").isBetween(160, 320);
            assertThat(height).as("a standing person is tall and narrow").isGreaterThan(2 * width);
            assertThat(height).as("and fills most of the 424 px high photo").isGreaterThan(212);
            assertThat(x + width).isLessThanOrEqualTo(640);
            assertThat(y + height).isLessThanOrEqualTo(424);

            assertThat(db.count("SELECT count(*) FROM event_detections WHERE event_id = ? AND detection_id = ?",
                    eventId, person.get("id"))).as("the event is linked to the detection").isEqualTo(1);

            JsonObject events = api.json("/api/events?camera_id=front_door");
            assertThat(events.getJsonArray("events").stream().map(e -> ((JsonObject) e).getLong("id")))
                    .contains(eventId);
            JsonObject detail = api.json("/api/events/" + eventId);
            assertThat(detail.getBoolean("is_fast_path")).isTrue();
            assertThat(detail.getJsonArray("detections").getJsonObject(0).getString("object_type")).isEqualTo("person");
            assertThat(detail.getJsonArray("detection_ids").getList()).containsExactly(((Number) person.get("id")).intValue());
            JsonObject eventDetections = api.json("/api/events/" + eventId + "/detections");
            assertThat(eventDetections.getInteger("count")).isEqualTo(1);
            assertThat(eventDetections.getJsonArray("detections").getJsonObject(0).getString("object_type"))
                    .isEqualTo("person");
            assertError("/api/events/999999/detections", 404, "Event 999999 not found");
            // the analyze stage's event is searchable by its summary and by its camera's name (database trigger)
            JsonObject found = api.json("/api/events/search?q=person%20%22front%20door%22&camera_id=front_door");
            assertThat(found.getJsonArray("results").stream().map(e -> ((JsonObject) e).getLong("id")))
                    .contains(eventId);
            assertThat(found.getJsonArray("results").getJsonObject(0).getDouble("relevance_score")).isPositive();

            JsonObject detections = api.json("/api/detections?camera_id=front_door&object_type=person&min_confidence=0.6");
            assertThat(detections.getLong("count")).isEqualTo(1);
            JsonObject stored = detections.getJsonArray("detections").getJsonObject(0);
            assertThat(stored.getInteger("bbox_x")).isEqualTo(x);
            assertThat(stored.getString("file_path")).isEqualTo(file);

            JsonObject camera = api.json("/api/cameras/front_door");
            assertThat(camera.getString("name")).isEqualTo("Front Door");
            assertThat(camera.getString("last_seen_at")).isNotNull();
        }
    }

    @Test
    @DisplayName("Each detection gets a thumbnail JPEG of the configured size, served with caching and redrawn when its file is gone")
    void detectionThumbnailsAreServed() throws IOException {
        byte[] photo = Files.readAllBytes(Images.DOG);
        ftp.uploadBytes(Arrays.copyOf(photo, photo.length + 32), "Patio", "thumb.jpg"); // padding: not a duplicate
        long id = Eventually.await(PIPELINE_TIMEOUT, "a thumbnail path on the car detection", () -> {
            List<Map<String, Object>> rows = db.rows("SELECT id, thumbnail_path FROM detections"
                    + " WHERE camera_id = 'patio' AND object_type = 'car' AND thumbnail_path IS NOT NULL");
            return rows.isEmpty() ? null : ((Number) rows.get(0).get("id")).longValue();
        });
        Path file = Path.of((String) db.rows("SELECT thumbnail_path FROM detections WHERE id = ?", id).get(0)
                .get("thumbnail_path"));
        assertThat(file.getFileName().toString()).isEqualTo(id + "_thumb.jpg");

        Api.Response image = api.getBytes("/api/detections/" + id + "/image");
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.contentType()).isEqualTo("image/jpeg");
        assertThat(image.header("cache-control")).isEqualTo("public, max-age=3600");
        java.awt.image.BufferedImage thumbnail = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(image.bytes()));
        assertThat(thumbnail.getWidth()).isEqualTo(320);
        assertThat(thumbnail.getHeight()).isEqualTo(240);

        Files.delete(file);
        assertThat(api.getBytes("/api/detections/" + id + "/image").status()).as("drawn again on demand").isEqualTo(200);
        assertThat(file).exists();
        assertError("/api/detections/999999/image", 404, "Detection 999999 not found");
    }

    @Test
    @DisplayName("A clip uploaded over FTP is sampled every few seconds: the person is found on the frame that shows one, with the clip's properties")
    void clipIsSampledAndDetected() throws Exception {
        Path clip = dev.hsi.support.TestClips.personClip(Files.createTempDirectory("hsi-clip"));
        ftp.upload(clip, "Garage", "motion.mp4");

        List<Map<String, Object>> rows = Eventually.await(PIPELINE_TIMEOUT, "detections of the clip", () -> {
            List<Map<String, Object>> found = db.rows("SELECT object_type, media_type, duration, video_codec,"
                    + " video_width, video_height, enrichment_data::text AS enrichment FROM detections"
                    + " WHERE camera_id = 'garage'");
            return found.isEmpty() ? null : found;
        });
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("media_type")).isEqualTo("video");
            assertThat((Double) row.get("duration")).isBetween(11.0, 13.0);
            assertThat(row.get("video_codec")).isEqualTo("h264");
            assertThat(row.get("video_width")).isEqualTo(640);
            assertThat(row.get("video_height")).isEqualTo(424);
            assertThat((String) row.get("enrichment")).as("only the frame at 8 s shows anything")
                    .contains("\"frame_offset_seconds\": 8");
        });
        assertThat(rows).extracting(row -> row.get("object_type")).contains("person");
    }

    @Test
    @DisplayName("An upload under a temporary name then renamed is batched: car, bicycle and dog end in one event after the idle timeout")
    void renamedUploadIsBatchedIntoOneEvent() {
        try (WsClient ws = new WsClient(server.apiPort(), "/ws/events")) {
            ftp.uploadThenRename(Images.DOG, "Back Yard", "yard.jpg");

            JsonObject event = ws.awaitMessage(PIPELINE_TIMEOUT, m -> m.getString("type").equals("event")
                    && m.getJsonObject("data").getString("camera_id").equals("back_yard")).getJsonObject("data");
            assertThat(event.getBoolean("is_fast_path")).isFalse();
            JsonObject detail = api.json("/api/events/" + event.getLong("id"));
            List<String> types = detail.getJsonArray("detections").stream()
                    .map(d -> ((JsonObject) d).getString("object_type")).sorted().toList();
            assertThat(types).containsExactly("bicycle", "car", "dog");
            assertThat(detail.getInteger("detection_count")).isEqualTo(3);
            assertThat(detail.getString("object_types")).isEqualTo("bicycle,car,dog");
            assertThat(db.count("SELECT count(*) FROM detections WHERE file_path LIKE '%yard.jpg.part'"))
                    .as("the temporary name is never processed").isZero();
        }
    }

    @Test
    @DisplayName("The same image uploaded twice within the dedupe TTL gives one set of detections")
    void duplicateContentIsDetectedOnce() {
        try (LogCapture log = new LogCapture(ingestorClass())) {
            ftp.upload(Images.EAGLE, "Garden", "first.jpg");
            Eventually.await(PIPELINE_TIMEOUT, "detections of first.jpg",
                    () -> db.count("SELECT count(*) FROM detections WHERE file_path LIKE '%Garden/first.jpg'") > 0);
            ftp.upload(Images.EAGLE, "Garden", "second.jpg");

            Eventually.await(PIPELINE_TIMEOUT, "the duplicate to be skipped",
                    () -> !log.messagesContaining("second.jpg").isEmpty());
            assertThat(log.messagesContaining("second.jpg").get(0)).contains("same content");
            assertThat(db.count("SELECT count(*) FROM detections WHERE file_path LIKE '%Garden/second.jpg'")).isZero();
        }
    }

    @Test
    @DisplayName("A text file named .jpg, an empty file and a truncated JPEG are each rejected with one clear log line, and nothing is queued")
    void badUploadsAreRejectedAndNothingIsQueued() throws IOException {
        byte[] photo = Files.readAllBytes(Images.PERSON);
        try (LogCapture log = new LogCapture(ingestorClass())) {
            ftp.uploadBytes("this is not a picture\n".getBytes(), "Porch", "notes.jpg");
            ftp.uploadBytes(new byte[0], "Porch", "empty.jpg");
            ftp.uploadBytes(Arrays.copyOf(photo, photo.length / 2), "Porch", "cut.jpg");

            for (String name : List.of("notes.jpg", "empty.jpg", "cut.jpg")) {
                Eventually.await(PIPELINE_TIMEOUT, "the rejection of " + name,
                        () -> !log.messagesContaining(name).isEmpty());
            }
            assertThat(log.messagesContaining("notes.jpg")).singleElement().asString()
                    .contains("Rejected upload").contains("not a JPEG");
            assertThat(log.messagesContaining("empty.jpg")).singleElement().asString()
                    .contains("Rejected upload").contains("empty file");
            assertThat(log.messagesContaining("cut.jpg")).singleElement().asString()
                    .contains("Rejected upload").contains("truncated");
        }
        try (Jedis redis = new Jedis(URI.create(server.redisUrl()))) {
            assertThat(redis.lrange("detection_queue", 0, -1)).noneMatch(job -> job.contains("Porch"));
            assertThat(InFlight.jobs(redis, "detection_queue")).noneMatch(job -> job.contains("Porch"));
        }
        assertThat(db.count("SELECT count(*) FROM detections WHERE camera_id = 'porch'")).isZero();
        assertThat(api.get("/health").status()).as("the server keeps running").isEqualTo(200);
    }

    @Test
    @DisplayName("A file copied into a camera folder without FTP is picked up by the directory watcher once its size holds")
    void directoryWatcherPicksUpFilesFromOtherSources() throws IOException {
        Path folder = Files.createDirectories(dataDir.resolve("foscam/Side Gate"));
        byte[] photo = Files.readAllBytes(Images.DOG);
        // trailing zero padding (as some cameras write) changes the hash, so this is not a duplicate of dog.jpg
        Files.write(folder.resolve("copied.jpg"), Arrays.copyOf(photo, photo.length + 16));

        Eventually.await(PIPELINE_TIMEOUT, "detections of the copied file",
                () -> db.count("SELECT count(*) FROM detections WHERE camera_id = 'side_gate'") >= 3);
        assertThat(db.rows("SELECT DISTINCT object_type FROM detections WHERE camera_id = 'side_gate'").stream()
                .map(r -> r.get("object_type")).collect(Collectors.toSet())).contains("car", "dog");
    }

    @Test
    @DisplayName("Bad filters are answered 400 and unknown ids 404, with a JSON detail saying why")
    void badRequestsGetClearErrors() {
        assertError("/api/events?limit=0", 400, "limit");
        assertError("/api/events?start_date=yesterday", 400, "start_date");
        assertError("/api/events?start_date=2026-11-22&end_date=2026-11-01", 400, "start_date");
        assertError("/api/events?risk_level=severe", 400, "risk_level");
        assertError("/api/events?reviewed=maybe", 400, "reviewed");
        assertError("/api/detections?min_confidence=2", 400, "min_confidence");
        assertError("/api/detections?offset=-1", 400, "offset");
        assertError("/api/events/abc", 400, "id");
        assertError("/api/events/999999", 404, "Event 999999 not found");
        assertError("/api/detections/999999", 404, "Detection 999999 not found");
        assertError("/api/cameras/nowhere", 404, "nowhere");
        assertError("/api/nothing-here", 404, "Not Found");
    }

    @Test
    @DisplayName("The WebSocket answers ping with pong and explains malformed messages")
    void webSocketAnswersPingsAndErrors() {
        try (WsClient ws = new WsClient(server.apiPort(), "/ws/events")) {
            ws.send("{\"type\":\"ping\"}");
            ws.awaitMessage(Duration.ofSeconds(5), m -> m.getString("type").equals("pong"));
            ws.send("ping");
            ws.awaitMessage(Duration.ofSeconds(5), m -> m.getString("type").equals("pong"));
            ws.send("{not json");
            JsonObject error = ws.awaitMessage(Duration.ofSeconds(5), m -> m.getString("type").equals("error"));
            assertThat(error.getString("error")).isEqualTo("invalid_json");
            ws.send("{\"type\":\"dance\"}");
            error = ws.awaitMessage(Duration.ofSeconds(5), m -> m.getString("type").equals("error"));
            assertThat(error.getString("error")).isEqualTo("unknown_message_type");
        }
    }

    @Test
    @DisplayName("The dashboard page, health and readiness are served")
    void pageAndHealthAreServed() {
        Api.Response page = api.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("/ws/events").contains("/api/events");
        assertThat(api.json("/health").getString("status")).isEqualTo("alive");
        JsonObject ready = api.json("/ready");
        assertThat(ready.getBoolean("ready")).isTrue();
        assertThat(ready.getJsonObject("services").getString("database")).isEqualTo("healthy");
        JsonArray cameras = api.json("/api/cameras").getJsonArray("cameras");
        assertThat(cameras).isNotNull();
    }

    private void assertError(String path, int status, String detailFragment) {
        Api.Response response = api.get(path);
        assertThat(response.status()).as(path).isEqualTo(status);
        assertThat(response.contentType()).as(path).startsWith("application/json");
        assertThat(response.json().getString("detail")).as(path).contains(detailFragment);
    }

    private static Class<?> ingestorClass() {
        try {
            return Class.forName("dev.hsi.ingest.Ingestor");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
