package dev.hsi.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.support.Db;
import dev.hsi.support.InFlight;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;

/**
 * What became of every uploaded image, read straight from PostgreSQL and Redis: its detection rows (how many, how
 * many distinct objects, from how many runs of its job, with how many contents), or its entry in the DLQ.
 */
record Outcomes(Map<String, Rows> detections, Set<String> deadLettered, long processing, List<Long> detectionsInTwoEvents) {

    /** The detection rows of one file. */
    record Rows(long rows, long objects, long runs, long contents) {
    }

    static Outcomes read(Db db, Jedis redis) {
        Map<String, Rows> detections = new HashMap<>();
        for (Map<String, Object> row : db.rows("SELECT file_path, count(*) AS n, count(DISTINCT object_index) AS objects,"
                + " count(DISTINCT detected_at) AS runs, count(DISTINCT file_hash) AS contents"
                + " FROM detections GROUP BY file_path")) {
            detections.put((String) row.get("file_path"), new Rows(number(row.get("n")), number(row.get("objects")),
                    number(row.get("runs")), number(row.get("contents"))));
        }
        Set<String> deadLettered = new HashSet<>();
        for (String entry : redis.lrange("dlq:detection_queue", 0, -1)) {
            Object job = new JsonObject(entry).getValue("original_job");
            JsonObject original = job instanceof JsonObject json ? json : new JsonObject(String.valueOf(job));
            deadLettered.add(original.getString("file_path"));
        }
        long processing = InFlight.count(redis, "detection_queue") + InFlight.count(redis, "analysis_queue");
        List<Long> twice = db.rows("SELECT detection_id FROM event_detections GROUP BY detection_id HAVING count(*) > 1")
                .stream().map(row -> number(row.get("detection_id"))).toList();
        return new Outcomes(detections, deadLettered, processing, twice);
    }

    /** The images that have neither detections nor a DLQ entry yet. */
    List<String> unfinished(List<Uploads.Image> images, Path basePath) {
        return images.stream().map(image -> image.onServer(basePath).toString())
                .filter(path -> !detections.containsKey(path) && !deadLettered.contains(path))
                .toList();
    }

    /**
     * Every image has its detections or a DLQ entry; none was stored twice: one run of one job per file (one
     * detected_at, one content), each object once, and every image of the same photo with as many rows as the
     * others; no detection in two events.
     */
    void assertEveryImageEndedOnce(List<Uploads.Image> images, Path basePath) {
        assertThat(unfinished(images, basePath)).as("images with neither detections nor a DLQ entry").isEmpty();
        Map<String, Set<Long>> rowsPerPhoto = new HashMap<>();
        for (Uploads.Image image : images) {
            Rows rows = detections.get(image.onServer(basePath).toString());
            if (rows == null) {
                continue;
            }
            assertThat(rows.runs()).as("runs of the job of %s stored", image.name()).isEqualTo(1);
            assertThat(rows.contents()).as("contents stored for %s", image.name()).isEqualTo(1);
            assertThat(rows.rows()).as("rows of %s, one per object", image.name()).isEqualTo(rows.objects());
            rowsPerPhoto.computeIfAbsent(image.photo(), p -> new HashSet<>()).add(rows.rows());
        }
        assertThat(rowsPerPhoto.values()).as("row counts per photo (the detector is deterministic)")
                .allSatisfy(counts -> assertThat(counts).hasSize(1));
        assertThat(detectionsInTwoEvents).as("detections linked to two events").isEmpty();
    }

    String summary(List<Uploads.Image> images, Path basePath) {
        long stored = images.stream().filter(i -> detections.containsKey(i.onServer(basePath).toString())).count();
        long dlq = images.stream().filter(i -> deadLettered.contains(i.onServer(basePath).toString())).count();
        return stored + " stored, " + dlq + " dead-lettered, " + unfinished(images, basePath).size() + " unfinished of "
                + images.size() + "; rows per photo " + images.stream()
                .filter(i -> detections.containsKey(i.onServer(basePath).toString()))
                .collect(Collectors.groupingBy(Uploads.Image::photo, Collectors.mapping(
                        i -> detections.get(i.onServer(basePath).toString()).rows(), Collectors.toSet())));
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
