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

/**
 * The open batch of each camera, kept in Redis under the original's keys (all expiring after an hour, so that
 * state orphaned by a crash cannot pile up). Callers serialise operations: see {@link AggregateVerticle}.
 */
final class BatchStore {

    private static final String TTL = String.valueOf(RedisKeys.BATCH_TTL_SECONDS);

    private final RedisAPI redis;

    BatchStore(RedisAPI redis) {
        this.redis = redis;
    }

    /** Adds a detection to its camera's open batch, opening one when there is none; returns the batch id. */
    Uni<String> add(StoredDetection detection, Instant now) {
        String cameraId = detection.cameraId();
        return redis.get(RedisKeys.currentBatch(cameraId))
                .onItem().transformToUni(current -> current != null
                        ? Uni.createFrom().item(current.toString())
                        : open(cameraId, now))
                .onItem().call(batchId -> redis.rpush(List.of(RedisKeys.batchDetections(batchId),
                                String.valueOf(detection.id())))
                        .onItem().call(ignored -> redis.expire(List.of(RedisKeys.batchDetections(batchId), TTL)))
                        .onItem().call(ignored -> setWithTtl(RedisKeys.batchLastActivity(batchId), epoch(now))));
    }

    private Uni<String> open(String cameraId, Instant now) {
        String batchId = UUID.randomUUID().toString().replace("-", "");
        return setWithTtl(RedisKeys.batchCameraId(batchId), cameraId)
                .onItem().call(ignored -> setWithTtl(RedisKeys.batchStartedAt(batchId), epoch(now)))
                .onItem().call(ignored -> setWithTtl(RedisKeys.currentBatch(cameraId), batchId))
                .replaceWith(batchId);
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
     * detection; the closed batch (if it holds detections) is returned for the analysis queue.
     */
    Uni<Optional<AnalysisJob>> closeIfDue(String cameraId, Instant now, Duration window, Duration idleTimeout) {
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
                        return close(cameraId, batchId);
                    });
        });
    }

    private Uni<Optional<AnalysisJob>> close(String cameraId, String batchId) {
        return redis.lrange(RedisKeys.batchDetections(batchId), "0", "-1")
                .onItem().transformToUni(ids -> {
                    List<Long> detectionIds = new ArrayList<>();
                    ids.forEach(id -> detectionIds.add(id.toLong()));
                    return redis.del(List.of(RedisKeys.currentBatch(cameraId), RedisKeys.batchCameraId(batchId),
                                    RedisKeys.batchDetections(batchId), RedisKeys.batchStartedAt(batchId),
                                    RedisKeys.batchLastActivity(batchId)))
                            .map(deleted -> detectionIds.isEmpty()
                                    ? Optional.<AnalysisJob>empty()
                                    // stamped when the batch is really gone, so that latency starts there
                                    : Optional.of(new AnalysisJob(batchId, cameraId, detectionIds, Instant.now(), false)));
                });
    }

    private Uni<Response> setWithTtl(String key, String value) {
        return redis.set(List.of(key, value, "EX", TTL));
    }

    /** Unix seconds as a float, the original's representation. */
    private static String epoch(Instant instant) {
        return String.valueOf(instant.toEpochMilli() / 1000.0);
    }

    private static Instant instant(Response value, Instant fallback) {
        return value == null ? fallback : Instant.ofEpochMilli(Math.round(Double.parseDouble(value.toString()) * 1000));
    }
}
