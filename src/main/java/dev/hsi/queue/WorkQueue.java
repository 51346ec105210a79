package dev.hsi.queue;

import dev.hsi.bus.RedisKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import java.time.Instant;
import java.util.List;

/**
 * A Redis list used as a work queue with the original's names ({@code detection_queue}, ...).
 *
 * <p>Delivery: a consumer moves a job atomically into {@code <queue>:processing} ({@code BLMOVE}) and removes it
 * only after its results are committed ({@link #ack}). Jobs left there by a crash are moved back by
 * {@link #recoverInFlight()} at start, so a job is delivered at least once. Jobs that fail for good are wrapped in
 * the seed's DLQ shape and pushed to {@code dlq:<queue>}.
 */
public final class WorkQueue {

    private final RedisAPI redis;
    private final String name;

    public WorkQueue(RedisAPI redis, String name) {
        this.redis = redis;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public Uni<Long> push(JsonObject job) {
        return redis.rpush(List.of(name, job.encode())).map(Response::toLong);
    }

    public Uni<Long> size() {
        return redis.llen(name).map(Response::toLong);
    }

    /** Moves jobs a previous run had taken but not finished back to the head of the queue. */
    public Uni<Integer> recoverInFlight() {
        return recoverFrom(0);
    }

    private Uni<Integer> recoverFrom(int moved) {
        return redis.lmove(RedisKeys.processing(name), name, "RIGHT", "LEFT")
                .flatMap(job -> job == null ? Uni.createFrom().item(moved) : recoverFrom(moved + 1));
    }

    /** Waits up to {@code timeoutSeconds} for a job on a connection of its own; null when none came. */
    Uni<String> claim(RedisAPI blockingConnection, int timeoutSeconds) {
        return blockingConnection
                .blmove(name, RedisKeys.processing(name), "LEFT", "RIGHT", String.valueOf(timeoutSeconds))
                .map(job -> job == null ? null : job.toString());
    }

    /** Takes a job that is already waiting, without blocking; null when the queue is empty. */
    Uni<String> claimWaiting(RedisAPI connection) {
        return connection.lmove(name, RedisKeys.processing(name), "LEFT", "RIGHT")
                .map(job -> job == null ? null : job.toString());
    }

    Uni<Void> ack(String job) {
        return redis.lrem(RedisKeys.processing(name), "1", job).replaceWithVoid();
    }

    Uni<Void> deadLetter(String job, String error, int attempts, Instant firstFailedAt) {
        JsonObject entry = new JsonObject()
                .put("original_job", parseOrRaw(job))
                .put("error", error)
                .put("attempt_count", attempts)
                .put("first_failed_at", firstFailedAt.toString())
                .put("last_failed_at", Instant.now().toString())
                .put("queue_name", name);
        return redis.rpush(List.of(RedisKeys.deadLetter(name), entry.encode())).flatMap(pushed -> ack(job));
    }

    private static Object parseOrRaw(String job) {
        try {
            return new JsonObject(job);
        } catch (RuntimeException e) {
            return job;
        }
    }
}
