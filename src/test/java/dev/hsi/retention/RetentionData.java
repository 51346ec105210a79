package dev.hsi.retention;

import dev.hsi.support.Db;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Ninety days of data written straight with SQL, as the pipeline would have left it, with the files on disk. Day
 * {@code k} (0 = today) is {@code now - k days - 1 hour}, so with 30 days' retention days 30 and older go, and with
 * 7 days' log retention logs of day 7 and older. Per day: 2 detections (thumbnail files, one image file shared by
 * both), 1 event linking them with 1 alert, 4 GPU samples, 3 logs, 1 audit log and 1 upload record of an image in
 * which nothing was found. Besides: one detection 200 days old (no partition holds it: it lies in the default
 * partition), and one GPU sample of the same age.
 */
final class RetentionData {

    static final int DAYS = 90;
    static final int BYTES_PER_FILE = 1000;

    private final Db db;
    private final Path thumbnailDir;
    private final Path imageDir;
    private final Instant now;

    RetentionData(Db db, Path thumbnailDir, Path imageDir, Instant now) {
        this.db = db;
        this.thumbnailDir = thumbnailDir;
        this.imageDir = imageDir;
        this.now = now;
    }

    void write() {
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        String images = imageDir.resolve("front_door").toString();
        db.update("INSERT INTO cameras (id, name, folder_path) VALUES ('front_door', 'Front Door', ?)", images);
        db.update("INSERT INTO detections (camera_id, file_path, detected_at, object_type, confidence)"
                + " SELECT 'front_door', ? || '/day-' || k || '.jpg', ?::timestamptz - make_interval(days => k, hours => 1),"
                + " 'person', 0.9 FROM generate_series(0, ?) k, generate_series(1, 2) n", images, at, DAYS - 1);
        db.update("INSERT INTO detections (camera_id, file_path, detected_at, object_type)"
                + " VALUES ('front_door', ? || '/ancient.jpg', ?::timestamptz - interval '200 days', 'car')", images, at);
        db.update("UPDATE detections SET thumbnail_path = ? || '/' || id || '_thumb.jpg'", thumbnailDir.toString());
        db.update("INSERT INTO events (batch_id, camera_id, started_at, risk_score)"
                + " SELECT 'b-' || k, 'front_door', ?::timestamptz - make_interval(days => k, hours => 1), 10"
                + " FROM generate_series(0, ?) k", at, DAYS - 1);
        db.update("INSERT INTO event_detections (event_id, event_started_at, detection_id, detection_detected_at)"
                + " SELECT e.id, e.started_at, d.id, d.detected_at FROM events e"
                + " JOIN detections d ON d.detected_at = e.started_at");
        db.update("INSERT INTO alerts (id, event_id, event_started_at, dedup_key)"
                + " SELECT gen_random_uuid(), id, started_at, 'front_door:' || id FROM events");
        db.update("INSERT INTO gpu_stats (recorded_at, gpu_utilization)"
                + " SELECT ?::timestamptz - make_interval(days => k, hours => 1, mins => n), 50"
                + " FROM generate_series(0, ?) k, generate_series(1, 4) n", at, DAYS - 1);
        db.update("INSERT INTO gpu_stats (recorded_at) VALUES (?::timestamptz - interval '200 days')", at);
        db.update("INSERT INTO logs (timestamp, level, component, message)"
                + " SELECT ?::timestamptz - make_interval(days => k, hours => 1, mins => n), 'INFO', 'test', 'log'"
                + " FROM generate_series(0, ?) k, generate_series(1, 3) n", at, DAYS - 1);
        db.update("INSERT INTO audit_logs (timestamp, action, resource_type, actor)"
                + " SELECT ?::timestamptz - make_interval(days => k, hours => 1), 'event_reviewed', 'event', 'me'"
                + " FROM generate_series(0, ?) k", at, DAYS - 1);
        db.update("INSERT INTO processed_uploads (file_path, uploaded_at, camera_id, object_count)"
                + " SELECT ? || '/empty-' || k || '.jpg', ?::timestamptz - make_interval(days => k, hours => 1),"
                + " 'front_door', 0 FROM generate_series(0, ?) k", images, at, DAYS - 1);
        writeFiles();
    }

    /** A recent detection whose image path is that of an old one: the same path uploaded again later. */
    long reuseImageOfDay(int oldDay, int newDay) {
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        long id = db.count("INSERT INTO detections (camera_id, file_path, detected_at, object_type)"
                + " VALUES ('front_door', ?, ?::timestamptz - make_interval(days => ?, hours => 1), 'dog') RETURNING id",
                imageOfDay(oldDay).toString(), at, newDay);
        db.update("INSERT INTO event_detections (event_id, event_started_at, detection_id, detection_detected_at)"
                + " SELECT e.id, e.started_at, d.id, d.detected_at FROM events e JOIN detections d"
                + " ON d.detected_at = e.started_at WHERE d.id = ?", id);
        return id;
    }

    Path imageOfDay(int day) {
        return imageDir.resolve("front_door").resolve("day-" + day + ".jpg");
    }

    Path emptyImageOfDay(int day) {
        return imageDir.resolve("front_door").resolve("empty-" + day + ".jpg");
    }

    Path thumbnailOf(long detectionId) {
        return thumbnailDir.resolve(detectionId + "_thumb.jpg");
    }

    /** A detection of day {@code k}. */
    long detectionOfDay(int day) {
        return db.count("SELECT min(id) FROM detections WHERE detected_at = ?::timestamptz - make_interval(days => ?,"
                + " hours => 1)", now.atOffset(ZoneOffset.UTC), day);
    }

    /** The event of day {@code k}. */
    long eventOfDay(int day) {
        return db.count("SELECT id FROM events WHERE started_at = ?::timestamptz - make_interval(days => ?,"
                + " hours => 1)", now.atOffset(ZoneOffset.UTC), day);
    }

    private void writeFiles() {
        try {
            Files.createDirectories(thumbnailDir);
            Files.createDirectories(imageDir.resolve("front_door"));
            byte[] content = new byte[BYTES_PER_FILE];
            for (Map<String, Object> row : db.rows("SELECT thumbnail_path, file_path FROM detections")) {
                Files.write(Path.of((String) row.get("thumbnail_path")), content);
                Files.write(Path.of((String) row.get("file_path")), content);
            }
            for (Map<String, Object> row : db.rows("SELECT file_path FROM processed_uploads")) {
                Files.write(Path.of((String) row.get("file_path")), content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
