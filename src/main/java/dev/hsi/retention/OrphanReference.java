package dev.hsi.retention;

/**
 * Every column that references a partitioned table without its partition key, so without a foreign key (decision
 * record 0007). The application validates these before writing where it writes them, and the orphan sweep clears
 * those whose row retention removed.
 */
enum OrphanReference {

    ENTITY_PRIMARY_DETECTION("entities", "primary_detection_id", "detections"),
    LOG_EVENT("logs", "event_id", "events"),
    LOG_DETECTION("logs", "detection_id", "detections");

    private final String column;
    private final String count;
    private final String clear;

    OrphanReference(String table, String column, String referenced) {
        this.column = table + "." + column;
        this.count = OrphanSql.count(table, column, referenced);
        this.clear = OrphanSql.clear(table, column, referenced);
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
