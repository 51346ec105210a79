package dev.hsi.queue;

import dev.hsi.bus.RedisKeys;
import dev.hsi.config.QueueConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis list used as a work queue with the original's names ({@code detection_queue}, ...).
 *
 * <p>Delivery: a consumer moves a job atomically into its own processing list
 * {@code <queue>:processing:<consumer>} ({@code BLMOVE}; see {@link ClaimSlot}) and removes it only after its results
 * are committed ({@link #ack}). Jobs left there by a consumer that died, or by a claim whose reply was lost with its
 * connection, are moved back by {@link QueueReaper} once that consumer's heartbeat has expired, so a job is delivered
 * at least once. Jobs that fail for good are wrapped in the seed's DLQ shape and pushed to {@code dlq:<queue>}: the
 * seed's fields, then {@code total_attempts} (decision 0012).
 *
 * <p>Bounds: a queue holds at most {@code QUEUE_MAX_SIZE} waiting jobs (jobs being processed are not counted). A
 * push onto a full queue applies {@code QUEUE_OVERFLOW_POLICY} in the same atomic script that checks the depth, so
 * concurrent pushers never overshoot: {@code dlq} dead-letters the new job with the error "queue full",
 * {@code reject} leaves it to the caller, {@code drop_oldest} moves the oldest waiting job to the DLQ (nothing is
 * lost: it can be requeued) and queues the new one. Once the depth reaches {@code QUEUE_BACKPRESSURE_THRESHOLD} of
 * the maximum, one WARN is logged, and one more when the queue first overflows; both are armed again once the depth
 * falls below 90 % of the threshold depth, so a queue hovering at the threshold does not flood the log.
 */
public final class WorkQueue {

    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
    /** The warnings are armed again below this share of the back-pressure depth. */
    private static final double REARM_SHARE = 0.9;

    /**
     * KEYS[1] the queue, KEYS[2] its DLQ, optionally KEYS[3] a dedupe key; ARGV[1] the job, ARGV[2] the maximum
     * depth, ARGV[3] the overflow policy, ARGV[4] the time (ISO-8601), ARGV[5] the queue name, ARGV[6] the error of a
     * dropped oldest job, with KEYS[3] ARGV[7] its value and ARGV[8] its TTL in seconds. Returns
     * {outcome, depth after the push}. With a dedupe key, the job is pushed only if the key was not set (it is set
     * then, in the same step, so no crash can leave content marked as seen but never queued), and a job the full
     * queue refuses leaves the key unset, so that the content may be sent again. DLQ entries are built as text around the job's own bytes, so its JSON (numbers
     * included) reaches the DLQ exactly as it was written; cjson only quotes strings. An overflowed job never ran:
     * no retries, no attempts.
     */
    private static final String PUSH = """
            local function entry(job, reason)
              local ok, decoded = pcall(cjson.decode, job)
              local original = (ok and type(decoded) == 'table') and job or cjson.encode(job)
              return '{"original_job":' .. original .. ',"error":' .. cjson.encode(reason)
                .. ',"attempt_count":0,"first_failed_at":' .. cjson.encode(ARGV[4])
                .. ',"last_failed_at":' .. cjson.encode(ARGV[4]) .. ',"queue_name":' .. cjson.encode(ARGV[5])
                .. ',"total_attempts":0}'
            end
            if KEYS[3] and not redis.call('SET', KEYS[3], ARGV[7], 'NX', 'EX', ARGV[8]) then
              return {'duplicate', redis.call('LLEN', KEYS[1])}
            end
            local depth = redis.call('LLEN', KEYS[1])
            if depth < tonumber(ARGV[2]) then
              return {'queued', redis.call('RPUSH', KEYS[1], ARGV[1])}
            end
            if ARGV[3] == 'reject' then
              if KEYS[3] then
                redis.call('DEL', KEYS[3])
              end
              return {'rejected', depth}
            end
            if ARGV[3] == 'drop_oldest' then
              local oldest = redis.call('LPOP', KEYS[1])
              if oldest then
                redis.call('RPUSH', KEYS[2], entry(oldest, ARGV[6]))
              end
              return {'dropped_oldest', redis.call('RPUSH', KEYS[1], ARGV[1])}
            end
            redis.call('RPUSH', KEYS[2], entry(ARGV[1], 'queue full'))
            return {'dead_lettered', depth}
            """;

    /**
     * KEYS[1] a processing list, KEYS[2] the DLQ; ARGV[1] the job, ARGV[2] its DLQ entry. One step, so a crash cannot
     * leave the job both dead-lettered and in processing (to be run and dead-lettered again). A job no longer in the
     * list was taken back by the reaper and runs again: it is not dead-lettered.
     */
    private static final String DEAD_LETTER = """
            if redis.call('LREM', KEYS[1], 1, ARGV[1]) > 0 then
              redis.call('RPUSH', KEYS[2], ARGV[2])
              return 1
            end
            return 0
            """;

    /**
     * What became of a pushed job, and the queue's depth after the push.
     *
     * @param depth waiting jobs in the queue after the push
     */
    public record PushResult(Outcome outcome, long depth) {

        public enum Outcome {
            /** The job is on the queue. */
            QUEUED,
            /** The queue was full: the job went to {@code dlq:<queue>} (policy {@code dlq}). */
            DEAD_LETTERED,
            /** The queue was full: the job was not queued anywhere; the caller keeps it (policy {@code reject}). */
            REJECTED,
            /** The queue was full: the oldest waiting job went to the DLQ and this job is queued ({@code drop_oldest}). */
            DROPPED_OLDEST,
            /** Its dedupe key was set already: the same content was pushed within the key's TTL; nothing was pushed. */
            DUPLICATE
        }

        /** Whether the queue was full when the job came. */
        public boolean overflowed() {
            return outcome == Outcome.DEAD_LETTERED || outcome == Outcome.REJECTED || outcome == Outcome.DROPPED_OLDEST;
        }

        /** Whether the pushed job itself is on the queue now. */
        public boolean queued() {
            return outcome == Outcome.QUEUED || outcome == Outcome.DROPPED_OLDEST;
        }
    }

    private final RedisAPI redis;
    private final String name;
    private final QueueConfig limits;
    private final String droppedError;
    private final AtomicBoolean pressureWarned = new AtomicBoolean();
    private final AtomicBoolean overflowWarned = new AtomicBoolean();

    /** A queue with the original's default bounds (10000 jobs, policy dlq, warning at 80 %). */
    public WorkQueue(RedisAPI redis, String name) {
        this(redis, name, QueueConfig.DEFAULTS);
    }

    public WorkQueue(RedisAPI redis, String name, QueueConfig limits) {
        this.redis = redis;
        this.name = name;
        this.limits = limits;
        this.droppedError = "queue full: dropped as the oldest waiting job to make room (QUEUE_MAX_SIZE "
                + limits.maxSize() + ", QUEUE_OVERFLOW_POLICY drop_oldest)";
    }

    public String name() {
        return name;
    }

    /** Pushes the job, applying the overflow policy atomically when the queue is full. */
    public Uni<PushResult> push(JsonObject job) {
        return push(List.of(PUSH, "2", name, RedisKeys.deadLetter(name), job.encode(),
                String.valueOf(limits.maxSize()), limits.overflowPolicy().configName(), Instant.now().toString(), name,
                droppedError));
    }

    /**
     * Pushes the job unless {@code dedupeKey} is set, and sets it (to {@code dedupeValue}, for {@code ttlSeconds}) in
     * the same atomic step: {@link PushResult.Outcome#DUPLICATE} when it was set already. A job the full queue refuses
     * ({@code reject}) leaves the key unset; one that is dead-lettered or queued keeps it.
     */
    public Uni<PushResult> pushUnlessSeen(JsonObject job, String dedupeKey, String dedupeValue, int ttlSeconds) {
        return push(List.of(PUSH, "3", name, RedisKeys.deadLetter(name), dedupeKey, job.encode(),
                String.valueOf(limits.maxSize()), limits.overflowPolicy().configName(), Instant.now().toString(), name,
                droppedError, dedupeValue, String.valueOf(ttlSeconds)));
    }

    private Uni<PushResult> push(List<String> evalArguments) {
        return redis.eval(evalArguments)
                .map(reply -> new PushResult(
                        PushResult.Outcome.valueOf(reply.get(0).toString().toUpperCase(Locale.ROOT)),
                        reply.get(1).toLong()))
                .invoke(this::warnOnPressure);
    }

    public QueueConfig limits() {
        return limits;
    }

    private void warnOnPressure(PushResult pushed) {
        long warnAt = limits.backpressureDepth();
        if (pushed.depth() < warnAt * REARM_SHARE) {
            pressureWarned.set(false);
            overflowWarned.set(false);
            return;
        }
        if (pushed.depth() >= warnAt && pressureWarned.compareAndSet(false, true)) {
            LOG.warn("Back-pressure: queue {} holds {} of at most {} jobs ({} %): its consumers are falling behind;"
                            + " when full, policy {} applies", name, pushed.depth(), limits.maxSize(),
                    Math.round(100.0 * pushed.depth() / limits.maxSize()), limits.overflowPolicy().configName());
        }
        if (pushed.overflowed() && overflowWarned.compareAndSet(false, true)) {
            LOG.warn("Queue {} is full ({} jobs): overflow policy {} now applies to every push ({})", name,
                    limits.maxSize(), limits.overflowPolicy().configName(), describe(limits.overflowPolicy()));
        }
    }

    private String describe(QueueConfig.OverflowPolicy policy) {
        return switch (policy) {
            case DLQ -> "new jobs go to " + RedisKeys.deadLetter(name);
            case REJECT -> "new jobs are refused and stay with their sender";
            case DROP_OLDEST -> "the oldest waiting jobs move to " + RedisKeys.deadLetter(name);
        };
    }

    public Uni<Long> size() {
        return redis.llen(name).map(Response::toLong);
    }

    /**
     * Waits up to {@code timeoutSeconds} for a job on a connection of its own and moves it into the slot's
     * processing list; null when none came.
     */
    Uni<String> claim(RedisAPI blockingConnection, ClaimSlot slot, int timeoutSeconds) {
        return blockingConnection
                .blmove(name, slot.processingList(), "LEFT", "RIGHT", String.valueOf(timeoutSeconds))
                .map(job -> job == null ? null : job.toString());
    }

    /** Takes a job that is already waiting, without blocking; null when the queue is empty. */
    Uni<String> claimWaiting(RedisAPI connection, ClaimSlot slot) {
        return connection.lmove(name, slot.processingList(), "LEFT", "RIGHT")
                .map(job -> job == null ? null : job.toString());
    }

    Uni<Void> ack(ClaimSlot slot, String job) {
        return redis.lrem(slot.processingList(), "1", job).replaceWithVoid();
    }

    /**
     * Moves the job from the slot's processing list to the DLQ. {@code attempts} is how often it ran: the entry's
     * {@code attempt_count} counts the retries among them (the original's meaning: 3 once retries ran out, 0 for a
     * job that could never succeed), {@code total_attempts} all of them. False when the job was no longer in the
     * list (the reaper took it back, or Redis lost it): it runs again instead.
     */
    Uni<Boolean> deadLetter(ClaimSlot slot, String job, String error, int attempts, Instant firstFailedAt) {
        JsonObject entry = new JsonObject()
                .put("original_job", parseOrRaw(job))
                .put("error", error)
                .put("attempt_count", Math.max(0, attempts - 1))
                .put("first_failed_at", firstFailedAt.toString())
                .put("last_failed_at", Instant.now().toString())
                .put("queue_name", name)
                .put("total_attempts", attempts);
        return redis.eval(List.of(DEAD_LETTER, "2", slot.processingList(), RedisKeys.deadLetter(name), job,
                entry.encode())).map(moved -> moved.toInteger() == 1);
    }

    private static Object parseOrRaw(String job) {
        try {
            return new JsonObject(job);
        } catch (RuntimeException e) {
            return job;
        }
    }
}
