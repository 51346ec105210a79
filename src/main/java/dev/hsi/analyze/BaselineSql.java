package dev.hsi.analyze;

/** SQL of the baselines the analyze stage learns: activity per hour-of-week slot, class frequency per hour. */
final class BaselineSql {

    /** $1 camera_id. Every activity slot of the camera (at most 168). */
    static final String SELECT_ACTIVITY_SLOTS = """
            SELECT day_of_week, hour, avg_count, variance, sample_count, current_hour, current_count
              FROM activity_baselines
             WHERE camera_id = $1
            """;

    /** $1 camera_id, $2 day_of_week, $3 hour. One slot, locked for the rest of the transaction. */
    static final String LOCK_ACTIVITY_SLOT = """
            SELECT day_of_week, hour, avg_count, variance, sample_count, current_hour, current_count
              FROM activity_baselines
             WHERE camera_id = $1 AND day_of_week = $2 AND hour = $3
               FOR UPDATE
            """;

    /**
     * $1 camera_id, $2 day_of_week, $3 hour, $4 avg_count, $5 variance, $6 sample_count, $7 current_hour,
     * $8 current_count. Writes a slot's new state, computed from its locked state.
     */
    static final String UPSERT_ACTIVITY_SLOT = """
            INSERT INTO activity_baselines (camera_id, day_of_week, hour, avg_count, variance, sample_count,
                                            current_hour, current_count, last_updated)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7)
            ON CONFLICT (camera_id, hour, day_of_week) DO UPDATE
               SET avg_count = EXCLUDED.avg_count, variance = EXCLUDED.variance,
                   sample_count = EXCLUDED.sample_count, current_hour = EXCLUDED.current_hour,
                   current_count = EXCLUDED.current_count, last_updated = EXCLUDED.last_updated
            """;

    /**
     * $1 camera_id. The class frequencies of every hour of the camera (at most 24 × the classes it saw): read with
     * the activity slots while the batch's detections are looked up, before the batch's hour is known.
     */
    static final String SELECT_CLASS_ROWS = """
            SELECT hour, detection_class, frequency, sample_count, last_updated
              FROM class_baselines
             WHERE camera_id = $1
            """;

    /**
     * $1 camera_id, $2 hour of day, $3 detected at (the batch's start), $4 classes, $5 their counts (same order),
     * $6 the share of weight lost per day, $7 window in days. Each class's frequency decays by $6 per day since its
     * last update, then the batch's count is added; a frequency untouched for longer than the window starts afresh.
     */
    static final String ADD_CLASS_COUNTS = """
            INSERT INTO class_baselines AS b (camera_id, detection_class, hour, frequency, sample_count, last_updated)
            SELECT $1, c.detection_class, $2, c.n, c.n, $3
              FROM unnest($4::text[], $5::int[]) AS c (detection_class, n)
            ON CONFLICT (camera_id, detection_class, hour) DO UPDATE
               SET frequency = CASE
                       WHEN EXCLUDED.last_updated - b.last_updated > make_interval(days => $7) THEN EXCLUDED.frequency
                       ELSE b.frequency * power(1 - $6::float8,
                                greatest(0, extract(epoch FROM EXCLUDED.last_updated - b.last_updated) / 86400))
                            + EXCLUDED.frequency
                   END,
                   sample_count = CASE
                       WHEN EXCLUDED.last_updated - b.last_updated > make_interval(days => $7) THEN EXCLUDED.sample_count
                       ELSE b.sample_count + EXCLUDED.sample_count
                   END,
                   last_updated = greatest(b.last_updated, EXCLUDED.last_updated)
            """;

    private BaselineSql() {
    }
}
