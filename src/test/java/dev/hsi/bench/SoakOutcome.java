package dev.hsi.bench;

import dev.hsi.bus.RedisKeys;
import dev.hsi.support.Db;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;

/**
 * What became of the soak's uploads, read straight from PostgreSQL and Redis: processed ({@code processed_uploads}
 * rows, one per processed upload, whether or not it kept detections), dead-lettered (by reason), lost (neither),
 * and duplicated (a content hash processed twice, stored by two runs, with an object stored twice, or both
 * processed and dead-lettered).
 */
record SoakOutcome(int uploaded, int processed, int withDetections, int deadLettered, Map<String, Integer> dlqReasons,
        List<String> lost, List<String> duplicated) {

    /** @param uploads confirmed uploads, server path to SHA-256; @param cameraPattern SQL LIKE of their cameras */
    static SoakOutcome read(Db db, Jedis redis, Map<String, String> uploads, String cameraPattern) {
        Map<String, Long> processedRows = new HashMap<>();
        for (Map<String, Object> row : db.rows("SELECT file_hash, count(*) AS n FROM processed_uploads"
                + " WHERE camera_id LIKE ? GROUP BY file_hash", cameraPattern)) {
            processedRows.put((String) row.get("file_hash"), ((Number) row.get("n")).longValue());
        }
        Set<String> processedPaths = new HashSet<>();
        db.rows("SELECT file_path FROM processed_uploads WHERE camera_id LIKE ?", cameraPattern)
                .forEach(row -> processedPaths.add((String) row.get("file_path")));
        Set<String> duplicated = new HashSet<>();
        processedRows.forEach((hash, n) -> {
            if (n > 1) {
                duplicated.add(hash + " (" + n + " processed_uploads rows)");
            }
        });
        Set<String> withDetections = new HashSet<>();
        for (Map<String, Object> row : db.rows("SELECT file_hash, count(*) AS n,"
                + " count(DISTINCT object_index) AS objects, count(DISTINCT detected_at) AS runs"
                + " FROM detections WHERE camera_id LIKE ? GROUP BY file_hash", cameraPattern)) {
            String hash = (String) row.get("file_hash");
            withDetections.add(hash);
            if (((Number) row.get("runs")).longValue() > 1 || !row.get("n").equals(row.get("objects"))) {
                duplicated.add(hash + " (detections " + row.get("n") + " rows, " + row.get("objects") + " objects, "
                        + row.get("runs") + " runs)");
            }
        }
        Map<String, Integer> reasons = new TreeMap<>();
        Set<String> deadPaths = new HashSet<>();
        for (String entry : redis.lrange(RedisKeys.deadLetter(RedisKeys.DETECTION_QUEUE), 0, -1)) {
            JsonObject json = new JsonObject(entry);
            String path = json.getJsonObject("original_job").getString("file_path");
            if (!uploads.containsKey(path)) {
                continue;
            }
            if (!deadPaths.add(path)) {
                duplicated.add(uploads.get(path) + " (two DLQ entries)");
            }
            if (processedPaths.contains(path)) {
                duplicated.add(uploads.get(path) + " (processed and dead-lettered)");
            }
            reasons.merge(reason(json.getString("error")), 1, Integer::sum);
        }
        List<String> lost = uploads.keySet().stream()
                .filter(path -> !processedPaths.contains(path) && !deadPaths.contains(path))
                .sorted().toList();
        int stored = (int) uploads.keySet().stream().filter(processedPaths::contains).count();
        int detected = (int) uploads.values().stream().filter(withDetections::contains).count();
        return new SoakOutcome(uploads.size(), stored, detected, deadPaths.size(), reasons, lost,
                duplicated.stream().sorted().toList());
    }

    /** The reason without what names the one job, so that equal reasons group. */
    private static String reason(String error) {
        if (error == null) {
            return "(none)";
        }
        int colon = error.indexOf(':');
        return colon > 0 && error.startsWith("queue full") ? error.substring(0, colon) : error;
    }

    boolean settled() {
        return lost.isEmpty();
    }
}
