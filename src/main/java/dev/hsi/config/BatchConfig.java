package dev.hsi.config;

import java.time.Duration;
import java.util.List;

/** How detections of one camera are grouped into batches, and which ones skip the wait. */
public record BatchConfig(
        Duration window,
        Duration idleTimeout,
        Duration checkInterval,
        double fastPathConfidence,
        List<String> fastPathObjectTypes) {

    public static final String BATCH_WINDOW_SECONDS = "BATCH_WINDOW_SECONDS";
    public static final String BATCH_IDLE_TIMEOUT_SECONDS = "BATCH_IDLE_TIMEOUT_SECONDS";
    public static final String BATCH_CHECK_INTERVAL_SECONDS = "BATCH_CHECK_INTERVAL_SECONDS";
    public static final String FAST_PATH_CONFIDENCE_THRESHOLD = "FAST_PATH_CONFIDENCE_THRESHOLD";
    public static final String FAST_PATH_OBJECT_TYPES = "FAST_PATH_OBJECT_TYPES";

    static BatchConfig read(EnvReader env) {
        return new BatchConfig(
                Seconds.of(env.decimal(BATCH_WINDOW_SECONDS, 90, 0.1, 3600)),
                Seconds.of(env.decimal(BATCH_IDLE_TIMEOUT_SECONDS, 30, 0.1, 3600)),
                Seconds.of(env.decimal(BATCH_CHECK_INTERVAL_SECONDS, 5.0, 0.05, 300)),
                // above 1.0 switches the fast path off, as the original's later releases do with 2.0
                env.decimal(FAST_PATH_CONFIDENCE_THRESHOLD, 0.90, 0.0, 2.0),
                env.list(FAST_PATH_OBJECT_TYPES, List.of("person")));
    }
}
