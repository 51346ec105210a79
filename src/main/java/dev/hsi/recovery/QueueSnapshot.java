package dev.hsi.recovery;

import dev.hsi.bus.RedisKeys;
import dev.hsi.queue.QueueBoard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every job the queues know of at one instant: waiting, being processed, dead-lettered, and held in memory by a
 * consumer of this process. The six Redis lists are read by one script, so no job is missed while it moves from
 * one list to another (a claim, a dead-letter, a requeue); the held jobs are read just before, and a job a
 * consumer drops from its hand is in a list or committed by then.
 *
 * @param takenAt when the snapshot began: a job queued before then is in it
 * @param detectionFiles file paths of detection jobs
 * @param pendingDetectionFiles those of them waiting, in processing or in hand (not dead-lettered)
 * @param detectionContent content hashes of detection jobs
 * @param analysedDetections detection ids of analysis jobs
 */
record QueueSnapshot(Instant takenAt, Set<String> detectionFiles, Set<String> pendingDetectionFiles,
        Set<String> detectionContent, Set<Long> analysedDetections) {

    private static final String READ_ALL = """
            local lists = {}
            for i, key in ipairs(KEYS) do lists[i] = redis.call('LRANGE', key, 0, -1) end
            return lists
            """;

    static Uni<QueueSnapshot> take(RedisAPI redis, QueueBoard board) {
        Instant takenAt = Instant.now();
        List<String> held = new ArrayList<>(board.heldJobs(RedisKeys.DETECTION_QUEUE));
        held.addAll(board.heldJobs(RedisKeys.ANALYSIS_QUEUE));
        List<String> keys = List.of(
                RedisKeys.DETECTION_QUEUE, RedisKeys.processing(RedisKeys.DETECTION_QUEUE),
                RedisKeys.deadLetter(RedisKeys.DETECTION_QUEUE),
                RedisKeys.ANALYSIS_QUEUE, RedisKeys.processing(RedisKeys.ANALYSIS_QUEUE),
                RedisKeys.deadLetter(RedisKeys.ANALYSIS_QUEUE));
        List<String> args = new ArrayList<>(List.of(READ_ALL, String.valueOf(keys.size())));
        args.addAll(keys);
        return redis.eval(args).map(lists -> {
            QueueSnapshot snapshot = new QueueSnapshot(takenAt, new HashSet<>(), new HashSet<>(), new HashSet<>(),
                    new HashSet<>());
            held.forEach(job -> snapshot.add(job, true));
            int index = 0;
            for (Response list : lists) {
                boolean deadLetters = keys.get(index++).startsWith(RedisKeys.deadLetter(""));
                for (Response job : list) {
                    snapshot.add(job.toString(), !deadLetters);
                }
            }
            return snapshot;
        });
    }

    /** Records one job, whichever queue and shape (a job, or a DLQ entry wrapping one). */
    private void add(String raw, boolean pending) {
        JsonObject job;
        try {
            job = new JsonObject(raw);
        } catch (RuntimeException e) {
            return; // malformed: it names nothing to recover
        }
        Object original = job.getValue("original_job");
        if (original instanceof JsonObject wrapped) {
            job = wrapped;
        } else if (original instanceof String text) {
            try {
                job = new JsonObject(text);
            } catch (RuntimeException e) {
                return;
            }
        }
        if (job.getValue("file_path") instanceof String path) {
            detectionFiles.add(path);
            if (pending) {
                pendingDetectionFiles.add(path);
            }
            if (job.getValue("file_hash") instanceof String hash && !hash.isEmpty()) {
                detectionContent.add(hash);
            }
        }
        if (job.getValue("detection_ids") instanceof JsonArray ids) {
            for (Object id : ids) {
                if (id instanceof Number number) {
                    analysedDetections.add(number.longValue());
                }
            }
        }
    }
}
