package dev.hsi.aggregate;

import dev.hsi.bus.AnalysisJob;
import dev.hsi.bus.RedisKeys;
import dev.hsi.bus.StoredDetection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The open batch of each camera, kept in Redis under the original's keys (all expiring after an hour, so that
 * state orphaned by a crash cannot pile up). Callers serialise operations: see {@link AggregateVerticle}.
 *
 * <p>Membership is idempotent, because a detection can be announced more than once (its detection job ran again
 * after a crash): each detection gets a marker, {@link RedisKeys#batchOfDetection}, naming its batch. It is set in
 * the same atomic step that adds the detection, and it outlives the batch (same hour-long TTL, counted from the
 * add), so a detection announced again is neither added twice nor made the start of a second batch. Past that
 * hour, the analyze stage still refuses to put a detection into a second event.
 */
final class BatchStore {

    private static final String TTL = String.valueOf(RedisKeys.BATCH_TTL_SECONDS);

    /**
     * KEYS[1] the detection's marker, KEYS[2] the camera's current-batch pointer, KEYS[3..6] the batch's
     * camera_id, detections, started_at and last_activity; ARGV[1] detection id, ARGV[2] batch id (the open one,
     * or a new one to open), ARGV[3] camera id, ARGV[4] now (epoch seconds), ARGV[5] TTL.
     * Returns 1 when added, 0 when the detection already has a batch, -1 when the camera's open batch is not
     * ARGV[2] (it changed since the caller read it). One script, so a crash never leaves a marker without the
     * membership it stands for, nor the reverse.
     */
    private static final String ADD = """
            local current = redis.call('GET', KEYS[2])
            if current and current ~= ARGV[2] then return -1 end
            if not redis.call('SET', KEYS[1], ARGV[2], 'NX', 'EX', ARGV[5]) then return 0 end
            if not current then
              redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[5])
              redis.call('SET', KEYS[5], ARGV[4], 'EX', ARGV[5])
              redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[5])
            end
            redis.call('RPUSH', KEYS[4], ARGV[1])
            redis.call('EXPIRE', KEYS[4], ARGV[5])
            redis.call('SET', KEYS[6], ARGV[4], 'EX', ARGV[5])
            return 1
            """;

    private final RedisAPI redis;

    BatchStore(RedisAPI redis) {
        this.redis = redis;
    }

    /**
     * Adds a detection to its camera's open batch, opening one when there is none. False when the detection
     * already belongs to a batch (open or closed, or the fast path): then nothing changes.
     */
    Uni<Boolean> add(StoredDetection detection, Instant now) {
        return add(detection, now, true);
    }

    private Uni<Boolean> add(StoredDetection detection, Instant now, boolean mayRetry) {
        String cameraId = detection.cameraId();
        return redis.get(RedisKeys.currentBatch(cameraId))
                .map(current -> current != null ? current.toString() : UUID.randomUUID().toString().replace("-", ""))
                .flatMap(batchId -> redis.eval(List.of(ADD, "6",
                        RedisKeys.batchOfDetection(detection.id()), RedisKeys.currentBatch(cameraId),
                        RedisKeys.batchCameraId(batchId), RedisKeys.batchDetections(batchId),
                        RedisKeys.batchStartedAt(batchId), RedisKeys.batchLastActivity(batchId),
                        String.valueOf(detection.id()), batchId, cameraId, epoch(now), TTL)))
                .flatMap(reply -> switch (reply.toInteger()) {
                    case 1 -> Uni.createFrom().item(true);
                    case 0 -> Uni.createFrom().item(false);
                    // operations are serialised, so only an expiry between the read and the script gets here
                    default -> mayRetry ? add(detection, now, false) : Uni.createFrom().failure(new IllegalStateException(
                            "the open batch of camera " + cameraId + " keeps changing; detection " + detection.id()
                                    + " was not added"));
                });
    }

    /** Whether the detection already belongs to a batch: one it was added to, or its fast-path batch. */
    Uni<Boolean> hasBatch(long detectionId) {
        return redis.exists(List.of(RedisKeys.batchOfDetection(detectionId))).map(count -> count.toLong() > 0);
    }

    /** Records the fast-path batch a detection was handed over in, so that announcing it again does nothing. */
    Uni<Void> markFastPath(long detectionId, String batchId) {
        return redis.set(List.of(RedisKeys.batchOfDetection(detectionId), batchId, "EX", TTL)).replaceWithVoid();
    }

    /** Cameras that have an open batch, found with SCAN (never KEYS, which blocks Redis). */
    Uni<List<String>> camerasWithOpenBatch() {
        return scan("0", new ArrayList<>());
    }

    private Uni<List<String>> scan(String cursor, List<String> cameras) {
        return redis.scan(List.of(cursor, "MATCH", RedisKeys.OPEN_BATCH_PATTERN, "COUNT", "100"))
                .onItem().transformToUni(reply -> {
                    for (Response key : reply.get(1)) {
                        cameras.add(RedisKeys.cameraOfCurrentBatchKey(key.toString()));
                    }
                    String next = reply.get(0).toString();
                    return next.equals("0") ? Uni.createFrom().item(cameras) : scan(next, cameras);
                });
    }

    /**
     * Closes the camera's batch when its window has passed since it opened or its idle timeout since the last
     * detection. A closed batch that holds detections is given to {@code handOver} (the analysis queue) before
     * its keys are deleted: a crash in between closes and hands it over again at the next check, and the analysis
     * of a batch is idempotent, whereas deleting first could lose it. Returns the closed batch, if any.
     */
    Uni<Optional<AnalysisJob>> closeIfDue(String cameraId, Instant now, Duration window, Duration idleTimeout,
            Function<AnalysisJob, Uni<Void>> handOver) {
        return redis.get(RedisKeys.currentBatch(cameraId)).onItem().transformToUni(current -> {
            if (current == null) {
                return Uni.createFrom().item(Optional.<AnalysisJob>empty());
            }
            String batchId = current.toString();
            return redis.mget(List.of(RedisKeys.batchStartedAt(batchId), RedisKeys.batchLastActivity(batchId)))
                    .onItem().transformToUni(times -> {
                        Instant startedAt = instant(times.get(0), now);
                        Instant lastActivity = instant(times.get(1), startedAt);
                        boolean windowOver = !now.isBefore(startedAt.plus(window));
                        boolean idle = !now.isBefore(lastActivity.plus(idleTimeout));
                        if (!windowOver && !idle) {
                            return Uni.createFrom().item(Optional.<AnalysisJob>empty());
                        }
                        return close(cameraId, batchId, handOver);
                    });
        });
    }

    private Uni<Optional<AnalysisJob>> close(String cameraId, String batchId, Function<AnalysisJob, Uni<Void>> handOver) {
        return redis.lrange(RedisKeys.batchDetections(batchId), "0", "-1")
                .onItem().transformToUni(ids -> {
                    List<Long> detectionIds = new ArrayList<>();
                    ids.forEach(id -> detectionIds.add(id.toLong()));
                    Optional<AnalysisJob> closed = detectionIds.isEmpty()
                            ? Optional.empty()
                            // stamped as the batch closes, so that latency starts there
                            : Optional.of(new AnalysisJob(batchId, cameraId, detectionIds, Instant.now(), false));
                    Uni<Void> handedOver = closed.map(handOver).orElseGet(() -> Uni.createFrom().voidItem());
                    // the detections' markers stay: a detection announced again must not open a new batch
                    return handedOver.flatMap(done -> redis.del(List.of(RedisKeys.currentBatch(cameraId),
                                    RedisKeys.batchCameraId(batchId), RedisKeys.batchDetections(batchId),
                                    RedisKeys.batchStartedAt(batchId), RedisKeys.batchLastActivity(batchId))))
                            .replaceWith(closed);
                });
    }

    /** Unix seconds as a float, the original's representation. */
    private static String epoch(Instant instant) {
        return String.valueOf(instant.toEpochMilli() / 1000.0);
    }

    private static Instant instant(Response value, Instant fallback) {
        return value == null ? fallback : Instant.ofEpochMilli(Math.round(Double.parseDouble(value.toString()) * 1000));
    }
}
