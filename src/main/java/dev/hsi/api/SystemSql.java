package dev.hsi.api;

/** Read queries of the {@code /api/system} routes. */
final class SystemSql {

    /** The original's totals: cameras and events not soft-deleted, every detection. */
    static final String SELECT_TOTALS = """
            SELECT (SELECT count(*) FROM cameras WHERE deleted_at IS NULL) AS total_cameras,
                   (SELECT count(*) FROM events WHERE deleted_at IS NULL) AS total_events,
                   (SELECT count(*) FROM detections) AS total_detections
            """;

    private SystemSql() {
    }
}
