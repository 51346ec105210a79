package dev.hsi.config;

import java.time.Duration;

/**
 * Recovery after crashes and outages. {@code RETENTION_DAYS} (the original's name and default, 30) bounds
 * reconciliation: uploads older than that are not queued again. {@code SHUTDOWN_TIMEOUT_SECONDS} is how long a
 * graceful stop (SIGTERM) lets jobs in hand finish before handing them back to their queue.
 */
public record RecoveryConfig(int retentionDays, Duration shutdownTimeout) {

    public static final String RETENTION_DAYS = "RETENTION_DAYS";
    public static final String SHUTDOWN_TIMEOUT_SECONDS = "SHUTDOWN_TIMEOUT_SECONDS";
    public static final int DEFAULT_RETENTION_DAYS = 30;
    public static final double DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 10;

    public Duration retention() {
        return Duration.ofDays(retentionDays);
    }

    static RecoveryConfig read(EnvReader env) {
        return new RecoveryConfig(
                env.integer(RETENTION_DAYS, DEFAULT_RETENTION_DAYS, 1, 3650),
                Seconds.of(env.decimal(SHUTDOWN_TIMEOUT_SECONDS, DEFAULT_SHUTDOWN_TIMEOUT_SECONDS, 0, 300)));
    }
}
