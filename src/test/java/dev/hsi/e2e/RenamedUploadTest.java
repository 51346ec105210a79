package dev.hsi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.bus.DetectionJob;
import dev.hsi.support.Api;
import dev.hsi.support.Eventually;
import dev.hsi.support.Images;
import dev.hsi.support.InFlight;
import dev.hsi.support.LogCapture;
import dev.hsi.support.PipelineServerTest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Cameras that upload under a temporary name of an accepted type ({@code tmp_1234.jpg}) and then rename the file:
 * whenever the rename comes, the image is detected once, under its final name, and nothing is dead-lettered.
 */
class RenamedUploadTest extends PipelineServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path scratch;

    @Test
    @DisplayName("Uploaded as tmp_1001.jpg and renamed to final.jpg at once: one set of detections under final.jpg, its image served, one event, an empty DLQ")
    void renamedAtOnceIsDetectedOnceUnderTheFinalName() throws IOException {
        Path photo = uniqueDogPhoto(1);
        ftp.uploadThenRename(photo, "Drive", "tmp_1001.jpg", "final.jpg");

        assertDetectedOnceUnder("drive", "Drive", "final.jpg");
        assertNothingUnder("Drive", "tmp_1001.jpg");
    }

    @Test
    @DisplayName("Renamed to final.jpg after the detections of tmp_1002.jpg were stored: they move to final.jpg, with their image; its job delivered again stores nothing new")
    void renamedAfterItsDetectionsWereStoredMovesThem() throws IOException {
        Path photo = uniqueDogPhoto(2);
        ftp.upload(photo, "Lane", "tmp_1002.jpg");
        Eventually.await(TIMEOUT, "the detections of the temporary name",
                () -> db.count("SELECT count(*) FROM processed_uploads WHERE file_path = ?", path("Lane", "tmp_1002.jpg"))
                        == 1);
        long stored = db.count("SELECT count(*) FROM detections WHERE file_path = ?", path("Lane", "tmp_1002.jpg"));
        assertThat(stored).as("car, bicycle and dog").isGreaterThanOrEqualTo(3);

        ftp.rename("Lane", "tmp_1002.jpg", "final.jpg");

        assertDetectedOnceUnder("lane", "Lane", "final.jpg");
        assertNothingUnder("Lane", "tmp_1002.jpg");
        assertThat(db.count("SELECT count(*) FROM detections WHERE camera_id = 'lane'")).isEqualTo(stored);

        // the job as queued under the temporary name, delivered again (a crash before its acknowledgement, a requeue)
        List<Map<String, Object>> rows = db.rows("SELECT id, detected_at FROM detections WHERE camera_id = 'lane'"
                + " ORDER BY id");
        Instant uploadedAt = ((Timestamp) rows.get(0).get("detected_at")).toInstant();
        String job = new DetectionJob("lane", path("Lane", "tmp_1002.jpg"), Instant.now(), "image", uploadedAt,
                sha256(photo)).toJson().encode();
        try (Jedis redis = new Jedis(URI.create(server.redisUrl()))) {
            redis.rpush("detection_queue", job);
            Eventually.await(TIMEOUT, "the job delivered again to be acknowledged",
                    () -> redis.lrange("detection_queue", 0, -1).stream().noneMatch(j -> j.contains("tmp_1002"))
                            && InFlight.jobs(redis, "detection_queue").stream().noneMatch(j -> j.contains("tmp_1002")));
        }
        assertThat(db.rows("SELECT id, detected_at FROM detections WHERE camera_id = 'lane' ORDER BY id"))
                .as("found under the final name: the same rows").isEqualTo(rows);
        assertNothingUnder("Lane", "tmp_1002.jpg");
        assertThat(api.json("/api/dlq/stats").getLong("detection_queue_count")).isZero();
    }

    @Test
    @DisplayName("The same content uploaded again under another name within the dedupe TTL after a rename is still a duplicate")
    void sameContentAfterARenameIsStillADuplicate() throws IOException {
        Path photo = uniqueDogPhoto(3);
        ftp.uploadThenRename(photo, "Gate", "tmp_1003.jpg", "final.jpg");
        assertDetectedOnceUnder("gate", "Gate", "final.jpg");

        try (LogCapture log = new LogCapture(ingestorClass())) {
            ftp.upload(photo, "Gate", "again.jpg");
            Eventually.await(TIMEOUT, "the second upload to be skipped",
                    () -> !log.messagesContaining("again.jpg").isEmpty());
            assertThat(log.messagesContaining("again.jpg").get(0)).contains("same content");
        }
        assertThat(db.count("SELECT count(*) FROM processed_uploads WHERE file_path = ?", path("Gate", "again.jpg")))
                .isZero();
    }

    @Test
    @DisplayName("An image processed long ago and renamed by a user keeps its detections under the new name and is not detected again")
    void oldImageRenamedKeepsItsDetectionsAndIsNotProcessedAgain() throws IOException {
        Path photo = uniqueDogPhoto(4);
        ftp.upload(photo, "Shed", "old.jpg");
        assertDetectedOnceUnder("shed", "Shed", "old.jpg");
        List<Map<String, Object>> before = db.rows("SELECT id, detected_at FROM detections WHERE camera_id = 'shed'"
                + " ORDER BY id");
        try (Jedis redis = new Jedis(URI.create(server.redisUrl()))) {
            redis.del("dedupe:" + sha256(photo)); // as if the dedupe TTL had run out
        }

        ftp.rename("Shed", "old.jpg", "kept.jpg");
        Eventually.await(TIMEOUT, "the detections to follow the file",
                () -> db.count("SELECT count(*) FROM detections WHERE file_path = ?", path("Shed", "kept.jpg"))
                        == before.size());
        // a later upload to the same camera: once it is processed, a job queued by the rename would have been too
        ftp.upload(uniqueDogPhoto(5), "Shed", "later.jpg");
        Eventually.await(TIMEOUT, "the later upload to be processed",
                () -> db.count("SELECT count(*) FROM processed_uploads WHERE file_path = ?", path("Shed", "later.jpg"))
                        == 1);

        assertThat(db.rows("SELECT id, detected_at FROM detections WHERE camera_id = 'shed' AND file_path = ?"
                + " ORDER BY id", path("Shed", "kept.jpg"))).as("the same rows, not new ones").isEqualTo(before);
        assertThat(db.count("SELECT count(*) FROM processed_uploads WHERE camera_id = 'shed'")).isEqualTo(2);
        assertNothingUnder("Shed", "old.jpg");
        assertImageServed(((Number) before.get(0).get("id")).longValue());
    }

    /** The upload's detections exist once, all under the final name, with one event and nothing dead-lettered. */
    private void assertDetectedOnceUnder(String camera, String folder, String finalName) {
        String finalPath = path(folder, finalName);
        Eventually.await(TIMEOUT, "the upload to be processed under " + finalName,
                () -> db.count("SELECT count(*) FROM processed_uploads WHERE file_path = ?", finalPath) == 1);
        Eventually.await(TIMEOUT, "an event for camera " + camera,
                () -> db.count("SELECT count(*) FROM events WHERE camera_id = ?", camera) > 0);
        try (Jedis redis = new Jedis(URI.create(server.redisUrl()))) {
            assertThat(redis.lrange("detection_queue", 0, -1)).noneMatch(job -> job.contains("/" + folder + "/"));
            assertThat(InFlight.jobs(redis, "detection_queue")).noneMatch(job -> job.contains("/" + folder + "/"));
        }

        List<Map<String, Object>> rows = db.rows("SELECT id, file_path, object_index, detected_at FROM detections"
                + " WHERE camera_id = ?", camera);
        assertThat(rows).as("car, bicycle and dog").hasSizeGreaterThanOrEqualTo(3);
        assertThat(rows).allSatisfy(row -> assertThat(row.get("file_path")).isEqualTo(finalPath));
        assertThat(rows.stream().map(row -> row.get("object_index")).distinct().count()).as("each object once")
                .isEqualTo(rows.size());
        assertThat(rows.stream().map(row -> row.get("detected_at")).distinct().count()).as("one upload").isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM processed_uploads WHERE camera_id = ?", camera)).isEqualTo(1);

        Eventually.await(TIMEOUT, "every detection of camera " + camera + " to belong to an event",
                () -> db.count("SELECT count(*) FROM detections d WHERE d.camera_id = ? AND NOT EXISTS (SELECT 1"
                        + " FROM event_detections ed WHERE ed.detection_id = d.id)", camera) == 0);
        assertThat(db.count("SELECT count(*) FROM events WHERE camera_id = ?", camera)).as("one event").isEqualTo(1);
        assertThat(api.json("/api/dlq/stats").getLong("detection_queue_count")).as("nothing dead-lettered").isZero();
        assertImageServed(((Number) rows.get(0).get("id")).longValue());
    }

    private void assertNothingUnder(String folder, String name) {
        String file = path(folder, name);
        assertThat(db.count("SELECT count(*) FROM detections WHERE file_path = ?", file)).as(file).isZero();
        assertThat(db.count("SELECT count(*) FROM processed_uploads WHERE file_path = ?", file)).as(file).isZero();
    }

    /** Served from the thumbnail, and drawn again from the detection's file once the thumbnail is gone. */
    private void assertImageServed(long detectionId) {
        Path thumbnail = Eventually.await(TIMEOUT, "the thumbnail of detection " + detectionId, () -> {
            Object stored = db.rows("SELECT thumbnail_path FROM detections WHERE id = ?", detectionId).get(0)
                    .get("thumbnail_path");
            return stored == null ? null : Path.of((String) stored);
        });
        Api.Response image = api.getBytes("/api/detections/" + detectionId + "/image");
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.contentType()).isEqualTo("image/jpeg");
        try {
            Files.delete(thumbnail);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Api.Response redrawn = api.getBytes("/api/detections/" + detectionId + "/image");
        assertThat(redrawn.status()).as("drawn from the file the detection names: " + redrawn.body()).isEqualTo(200);
        assertThat(redrawn.contentType()).isEqualTo("image/jpeg");
    }

    /** The dog photo (car, bicycle, dog) with trailing zeros, as some cameras write: new content for each n. */
    private static Path uniqueDogPhoto(int n) throws IOException {
        byte[] photo = Files.readAllBytes(Images.DOG);
        Path file = scratch.resolve("dog-" + n + ".jpg");
        Files.write(file, Arrays.copyOf(photo, photo.length + 100 + n));
        return file;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String path(String folder, String name) {
        return dataDir.resolve("foscam").resolve(folder).resolve(name).toString();
    }

    private static Class<?> ingestorClass() {
        try {
            return Class.forName("dev.hsi.ingest.Ingestor");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
