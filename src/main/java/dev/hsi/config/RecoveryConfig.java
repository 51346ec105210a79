package dev.hsi.config;

import java.time.Duration;

/**
 * Recovery after crashes and outages. The retention ({@link RetentionConfig#RETENTION_DAYS}, read there) bounds
 * reconciliation: uploads older than that are not queued again, since the cleanup would delete what they produced.
 * {@code SHUTDOWN_TIMEOUT_SECONDS} is how long a graceful stop (SIGTERM) lets jobs in hand finish before handing
 * them back to their queue.
 */
public record RecoveryConfig(int retentionDays, Duration shutdownTimeout) {

    public static final String SHUTDOWN_TIMEOUT_SECONDS = "SHUTDOWN_TIMEOUT_SECONDS";
    public static final double DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 10;

    public Duration retention() {
        return Duration.ofDays(retentionDays);
    }

    static RecoveryConfig read(EnvReader env, RetentionConfig retention) {
        return new RecoveryConfig(
                retention.retentionDays(),
                Seconds.of(env.decimal(SHUTDOWN_TIMEOUT_SECONDS, DEFAULT_SHUTDOWN_TIMEOUT_SECONDS, 0, 300)));
    }
}
