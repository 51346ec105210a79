package dev.hsi.config;

import java.time.Duration;
import java.util.Locale;

/**
 * The work queues: how full one may get and what happens to a job pushed onto a full one, how many jobs one DLQ
 * requeue moves, and how dead consumers are found. The original's names and defaults: {@code QUEUE_MAX_SIZE} 10000,
 * {@code QUEUE_OVERFLOW_POLICY} dlq, {@code QUEUE_BACKPRESSURE_THRESHOLD} 0.8, {@code MAX_REQUEUE_ITERATIONS} 10000.
 * New here (the original pops with BLPOP and has no consumer lists): {@code QUEUE_CONSUMER_TIMEOUT_SECONDS} (30), after
 * which a consumer that stopped renewing its heartbeat counts as dead, and {@code QUEUE_REAPER_INTERVAL_SECONDS} (10),
 * how often the reaper moves dead consumers' jobs back to their queue.
 */
public record QueueConfig(int maxSize, OverflowPolicy overflowPolicy, double backpressureThreshold,
        int maxRequeueIterations, Duration consumerTimeout, Duration reaperInterval) {

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
    public static final String MAX_REQUEUE_ITERATIONS = "MAX_REQUEUE_ITERATIONS";
    public static final String QUEUE_CONSUMER_TIMEOUT_SECONDS = "QUEUE_CONSUMER_TIMEOUT_SECONDS";
    public static final String QUEUE_REAPER_INTERVAL_SECONDS = "QUEUE_REAPER_INTERVAL_SECONDS";

    public static final int DEFAULT_MAX_REQUEUE_ITERATIONS = 10_000;
    public static final Duration DEFAULT_CONSUMER_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REAPER_INTERVAL = Duration.ofSeconds(10);
    /**
     * The shortest consumer timeout: a consumer's blocking claim waits up to 1 s, and a heartbeat must come round
     * (every third of the timeout) with room to spare, so that a live consumer is never taken for dead.
     */
    public static final Duration MIN_CONSUMER_TIMEOUT = Duration.ofSeconds(3);

    /** The original's defaults, used where no configuration is passed. */
    public static final QueueConfig DEFAULTS = new QueueConfig(10_000, OverflowPolicy.DLQ, 0.8);

    public QueueConfig {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1, got " + maxSize);
        }
        if (!(backpressureThreshold > 0.0 && backpressureThreshold <= 1.0)) {
            throw new IllegalArgumentException("backpressureThreshold must be in (0, 1], got " + backpressureThreshold);
        }
        if (maxRequeueIterations < 1) {
            throw new IllegalArgumentException("maxRequeueIterations must be at least 1, got " + maxRequeueIterations);
        }
        if (consumerTimeout.compareTo(MIN_CONSUMER_TIMEOUT) < 0) {
            throw new IllegalArgumentException("consumerTimeout must be at least " + MIN_CONSUMER_TIMEOUT.toSeconds()
                    + " s, got " + consumerTimeout.toMillis() + " ms");
        }
        if (reaperInterval.toMillis() < 1) {
            throw new IllegalArgumentException("reaperInterval must be positive, got " + reaperInterval);
        }
    }

    /** Bounds and overflow policy, with the defaults for requeueing and dead consumers. */
    public QueueConfig(int maxSize, OverflowPolicy overflowPolicy, double backpressureThreshold) {
        this(maxSize, overflowPolicy, backpressureThreshold, DEFAULT_MAX_REQUEUE_ITERATIONS, DEFAULT_CONSUMER_TIMEOUT,
                DEFAULT_REAPER_INTERVAL);
    }

    /** How often a consumer renews its heartbeat: a third of the timeout, so two renewals may fail in a row. */
    public Duration heartbeatInterval() {
        return consumerTimeout.dividedBy(3);
    }

    /** The depth at which the back-pressure warning is logged: {@code ceil(threshold × max)}, at least 1. */
    public long backpressureDepth() {
        return Math.max(1, (long) Math.ceil(backpressureThreshold * maxSize));
    }

    static QueueConfig read(EnvReader env) {
        return new QueueConfig(
                env.integer(QUEUE_MAX_SIZE, DEFAULTS.maxSize(), 1, 100_000_000),
                policy(env),
                env.decimal(QUEUE_BACKPRESSURE_THRESHOLD, DEFAULTS.backpressureThreshold(), 0.01, 1.0),
                env.integer(MAX_REQUEUE_ITERATIONS, DEFAULT_MAX_REQUEUE_ITERATIONS, 1, 100_000_000),
                Seconds.of(env.decimal(QUEUE_CONSUMER_TIMEOUT_SECONDS, DEFAULT_CONSUMER_TIMEOUT.toSeconds(),
                        MIN_CONSUMER_TIMEOUT.toSeconds(), 3600)),
                Seconds.of(env.decimal(QUEUE_REAPER_INTERVAL_SECONDS, DEFAULT_REAPER_INTERVAL.toSeconds(), 0.1, 3600)));
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
