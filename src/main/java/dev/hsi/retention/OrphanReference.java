package dev.hsi.retention;

/**
 * Every column that references a partitioned table without its partition key, so without a foreign key (decision
 * record 0007). The application validates these before writing where it writes them, and the orphan sweep clears
 * those whose row retention removed.
 */
enum OrphanReference {

    ENTITY_PRIMARY_DETECTION("entities.primary_detection_id", OrphanSql.COUNT_ENTITY_PRIMARY_DETECTIONS,
            OrphanSql.CLEAR_ENTITY_PRIMARY_DETECTIONS),
    LOG_EVENT("logs.event_id", OrphanSql.COUNT_LOG_EVENTS, OrphanSql.CLEAR_LOG_EVENTS),
    LOG_DETECTION("logs.detection_id", OrphanSql.COUNT_LOG_DETECTIONS, OrphanSql.CLEAR_LOG_DETECTIONS);

    private final String column;
    private final String count;
    private final String clear;

    OrphanReference(String column, String count, String clear) {
        this.column = column;
        this.count = count;
        this.clear = clear;
    }

    /** {@code table.column}, as metrics and the API name it. */
    String column() {
        return column;
    }

    String countSql() {
        return count;
    }

    String clearSql() {
        return clear;
    }
}
