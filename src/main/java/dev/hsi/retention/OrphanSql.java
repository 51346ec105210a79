package dev.hsi.retention;

/**
 * References into partitioned tables that cannot carry a foreign key (they lack the partition key): counting those
 * whose row is gone, and clearing them. A detection or event id is looked up by id alone, through the primary key
 * index of each partition.
 */
final class OrphanSql {

    static final String COUNT_ENTITY_PRIMARY_DETECTIONS = """
            SELECT count(*) AS orphans FROM entities e
             WHERE e.primary_detection_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM detections d WHERE d.id = e.primary_detection_id)
            """;

    static final String CLEAR_ENTITY_PRIMARY_DETECTIONS = """
            UPDATE entities e SET primary_detection_id = NULL
             WHERE e.primary_detection_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM detections d WHERE d.id = e.primary_detection_id)
            """;

    static final String COUNT_LOG_EVENTS = """
            SELECT count(*) AS orphans FROM logs l
             WHERE l.event_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = l.event_id)
            """;

    static final String CLEAR_LOG_EVENTS = """
            UPDATE logs l SET event_id = NULL
             WHERE l.event_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = l.event_id)
            """;

    static final String COUNT_LOG_DETECTIONS = """
            SELECT count(*) AS orphans FROM logs l
             WHERE l.detection_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM detections d WHERE d.id = l.detection_id)
            """;

    static final String CLEAR_LOG_DETECTIONS = """
            UPDATE logs l SET detection_id = NULL
             WHERE l.detection_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM detections d WHERE d.id = l.detection_id)
            """;

    private OrphanSql() {
    }
}
