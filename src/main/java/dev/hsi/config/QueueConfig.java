package dev.hsi.config;

import java.util.Locale;

/**
 * How full a work queue may get, and what happens to a job pushed onto a full one. The original's names and
 * defaults: {@code QUEUE_MAX_SIZE} 10000, {@code QUEUE_OVERFLOW_POLICY} dlq, {@code QUEUE_BACKPRESSURE_THRESHOLD} 0.8.
 */
public record QueueConfig(int maxSize, OverflowPolicy overflowPolicy, double backpressureThreshold) {

    /** What a push onto a full queue does. */
    public enum OverflowPolicy {
        /** The new job goes to {@code dlq:<queue>} with the error "queue full"; it can be requeued from there. */
        DLQ,
        /** The new job is not queued; the caller keeps what it describes (the upload stays on disk). */
        REJECT,
        /** The oldest waiting job moves to {@code dlq:<queue>} to make room, and the new job is queued. */
        DROP_OLDEST;

        /** The name as written in {@code QUEUE_OVERFLOW_POLICY}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String QUEUE_MAX_SIZE = "QUEUE_MAX_SIZE";
    public static final String QUEUE_OVERFLOW_POLICY = "QUEUE_OVERFLOW_POLICY";
    public static final String QUEUE_BACKPRESSURE_THRESHOLD = "QUEUE_BACKPRESSURE_THRESHOLD";

    /** The original's defaults, used where no configuration is passed. */
    public static final QueueConfig DEFAULTS = new QueueConfig(10_000, OverflowPolicy.DLQ, 0.8);

    public QueueConfig {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1, got " + maxSize);
        }
        if (!(backpressureThreshold > 0.0 && backpressureThreshold <= 1.0)) {
            throw new IllegalArgumentException("backpressureThreshold must be in (0, 1], got " + backpressureThreshold);
        }
    }

    /** The depth at which the back-pressure warning is logged: {@code ceil(threshold × max)}, at least 1. */
    public long backpressureDepth() {
        return Math.max(1, (long) Math.ceil(backpressureThreshold * maxSize));
    }

    static QueueConfig read(EnvReader env) {
        return new QueueConfig(
                env.integer(QUEUE_MAX_SIZE, DEFAULTS.maxSize(), 1, 100_000_000),
                policy(env),
                env.decimal(QUEUE_BACKPRESSURE_THRESHOLD, DEFAULTS.backpressureThreshold(), 0.01, 1.0));
    }

    private static OverflowPolicy policy(EnvReader env) {
        String value = env.string(QUEUE_OVERFLOW_POLICY, DEFAULTS.overflowPolicy().configName());
        try {
            return OverflowPolicy.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            env.problem(QUEUE_OVERFLOW_POLICY + " must be one of dlq, reject, drop_oldest; got '" + value + "'");
            return DEFAULTS.overflowPolicy();
        }
    }
}
