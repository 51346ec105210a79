package dev.hsi.config;

import java.time.Duration;
import java.time.LocalTime;

/**
 * Retention, with the original system's names and defaults: detections, events and GPU stats are kept
 * {@code RETENTION_DAYS} (30), logs and audit logs {@code LOG_RETENTION_DAYS} (7). The cleanup runs daily at
 * {@code CLEANUP_TIME} (HH:MM, 24-hour, in the server's time zone); it deletes the thumbnails of the detections it
 * removes, and their original images only with {@code CLEANUP_DELETE_IMAGES=true}.
 */
public record RetentionConfig(int retentionDays, int logRetentionDays, LocalTime cleanupTime, boolean deleteImages) {

    public static final String RETENTION_DAYS = "RETENTION_DAYS";
    public static final String LOG_RETENTION_DAYS = "LOG_RETENTION_DAYS";
    public static final String CLEANUP_TIME = "CLEANUP_TIME";
    public static final String CLEANUP_DELETE_IMAGES = "CLEANUP_DELETE_IMAGES";
    public static final int DEFAULT_RETENTION_DAYS = 30;
    public static final int DEFAULT_LOG_RETENTION_DAYS = 7;
    public static final LocalTime DEFAULT_CLEANUP_TIME = LocalTime.of(3, 0);
    private static final String HH_MM = "([01]\\d|2[0-3]):[0-5]\\d";

    public Duration retention() {
        return Duration.ofDays(retentionDays);
    }

    public Duration logRetention() {
        return Duration.ofDays(logRetentionDays);
    }

    static RetentionConfig read(EnvReader env) {
        LocalTime cleanupTime = DEFAULT_CLEANUP_TIME;
        String time = env.string(CLEANUP_TIME, "03:00");
        if (time.matches(HH_MM)) {
            cleanupTime = LocalTime.parse(time);
        } else {
            env.problem(CLEANUP_TIME + " must be HH:MM on a 24-hour clock (for example 03:00), got '" + time + "'");
        }
        return new RetentionConfig(
                env.integer(RETENTION_DAYS, DEFAULT_RETENTION_DAYS, 1, 3650),
                env.integer(LOG_RETENTION_DAYS, DEFAULT_LOG_RETENTION_DAYS, 1, 3650),
                cleanupTime,
                env.bool(CLEANUP_DELETE_IMAGES, false));
    }
}
