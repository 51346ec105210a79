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
 * Every job the queues know of at one instant: waiting, being processed (in any consumer's processing list, or the
 * single list of earlier versions), dead-lettered, and held in memory by a consumer of this process. All Redis lists
 * are read by one script, so no job is missed while it moves from one list to another (a claim, a dead-letter, a
 * requeue, a reaper's move); the held jobs are read just before, and a job a consumer drops from its hand is in a
 * list or committed by then.
 *
 * @param takenAt when the snapshot began: a job queued before then is in it
 * @param detectionFiles file paths of detection jobs
 * @param pendingDetectionFiles those of them waiting, in processing or in hand (not dead-lettered)
 * @param detectionContent content hashes of detection jobs
 * @param analysedDetections detection ids of analysis jobs
 */
record QueueSnapshot(Instant takenAt, Set<String> detectionFiles, Set<String> pendingDetectionFiles,
        Set<String> detectionContent, Set<Long> analysedDetections) {

    /**
     * ARGV in groups of five per queue: the queue, the old single processing list, the consumer set, the prefix of
     * the consumers' processing lists, the DLQ. Returns per queue: the pending jobs (waiting and in processing), then
     * the DLQ entries.
     */
    private static final String READ_ALL = """
            local out = {}
            for i = 1, #ARGV, 5 do
              local pending = redis.call('LRANGE', ARGV[i], 0, -1)
              for _, job in ipairs(redis.call('LRANGE', ARGV[i + 1], 0, -1)) do pending[#pending + 1] = job end
              for _, id in ipairs(redis.call('SMEMBERS', ARGV[i + 2])) do
                for _, job in ipairs(redis.call('LRANGE', ARGV[i + 3] .. id, 0, -1)) do pending[#pending + 1] = job end
              end
              out[#out + 1] = pending
              out[#out + 1] = redis.call('LRANGE', ARGV[i + 4], 0, -1)
            end
            return out
            """;
    private static final List<String> QUEUES = List.of(RedisKeys.DETECTION_QUEUE, RedisKeys.ANALYSIS_QUEUE);

    static Uni<QueueSnapshot> take(RedisAPI redis, QueueBoard board) {
        Instant takenAt = Instant.now();
        List<String> held = new ArrayList<>();
        QUEUES.forEach(queue -> held.addAll(board.heldJobs(queue)));
        List<String> args = new ArrayList<>(List.of(READ_ALL, "0"));
        for (String queue : QUEUES) {
            args.addAll(List.of(queue, RedisKeys.legacyProcessing(queue), RedisKeys.consumers(queue),
                    RedisKeys.processing(queue, ""), RedisKeys.deadLetter(queue)));
        }
        return redis.eval(args).map(lists -> {
            QueueSnapshot snapshot = new QueueSnapshot(takenAt, new HashSet<>(), new HashSet<>(), new HashSet<>(),
                    new HashSet<>());
            held.forEach(job -> snapshot.add(job, true));
            for (int i = 0; i < lists.size(); i++) {
                boolean deadLetters = i % 2 == 1;
                for (Response job : lists.get(i)) {
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
