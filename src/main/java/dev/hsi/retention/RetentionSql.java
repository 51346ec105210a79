package dev.hsi.retention;

import dev.hsi.infra.PartitionedTable;

/**
 * SQL of the retention cleanup. Ranges are {@code [$1, $2)} on a table's partition key, so PostgreSQL prunes to the
 * partitions concerned; a range with no lower bound is passed as {@code -infinity}.
 */
final class RetentionSql {

    /**
     * $1 partitioned table. Its partitions: name, whether it is the default partition, UTC bounds (NULL for the
     * default partition) and size on disk with indexes and TOAST. The bounds are read back from PostgreSQL's own
     * text of them, cast in this session, so the session's time zone cannot skew them.
     */
    static final String SELECT_PARTITIONS = """
            SELECT c.relname AS partition,
                   c.oid = p.partdefid AS is_default,
                   (b.bounds)[1]::timestamptz AS range_from,
                   (b.bounds)[2]::timestamptz AS range_to,
                   pg_total_relation_size(c.oid) AS total_bytes
              FROM pg_inherits i
              JOIN pg_class c ON c.oid = i.inhrelid
              JOIN pg_partitioned_table p ON p.partrelid = i.inhparent
             CROSS JOIN LATERAL (
                   SELECT regexp_match(pg_get_expr(c.relpartbound, c.oid),
                                       'FROM \\(''([^'']*)''\\) TO \\(''([^'']*)''\\)') AS bounds) b
             WHERE i.inhparent = $1::regclass
             ORDER BY range_from NULLS FIRST
            """;

    /** $1 parent table, $2 partition. Detaches and drops it (migration V010). */
    static final String DROP_PARTITION = """
            SELECT hsi_drop_partition($1, $2)
            """;

    /** $1, $2 range of the table's partition key: how many rows it holds. */
    static String countInRange(PartitionedTable table) {
        return "SELECT count(*) AS total FROM " + table.tableName() + inRange(table);
    }

    /** $1, $2 range of the table's partition key: deletes its rows. */
    static String deleteInRange(PartitionedTable table) {
        return "DELETE FROM " + table.tableName() + inRange(table);
    }

    private static String inRange(PartitionedTable table) {
        return " WHERE " + table.keyColumn() + " >= $1 AND " + table.keyColumn() + " < $2";
    }

    /** $1, $2 range. What the files of the detections in it are: the thumbnail, the original image. */
    static final String SELECT_DETECTION_FILES = """
            SELECT id, thumbnail_path, file_path FROM detections WHERE detected_at >= $1 AND detected_at < $2
            """;

    /** $1, $2 range. Deletes the detections in it, answering their files for removal. */
    static final String DELETE_DETECTIONS = """
            DELETE FROM detections WHERE detected_at >= $1 AND detected_at < $2
            RETURNING id, thumbnail_path, file_path
            """;

    /** $1, $2 range of detections. Their links to events (the junction carries each detection's full key). */
    static final String DELETE_LINKS_OF_DETECTIONS = """
            DELETE FROM event_detections WHERE detection_detected_at >= $1 AND detection_detected_at < $2
            """;

    /** $1, $2 range of events. Their links to detections. */
    static final String DELETE_LINKS_OF_EVENTS = """
            DELETE FROM event_detections WHERE event_started_at >= $1 AND event_started_at < $2
            """;

    /** $1, $2 range of events. Their alerts (which carry each event's full key). */
    static final String DELETE_ALERTS_OF_EVENTS = """
            DELETE FROM alerts WHERE event_started_at >= $1 AND event_started_at < $2
            """;

    /** $1 detections cutoff, $2 events cutoff. Links that go with either side. */
    static final String COUNT_LINKS_BEFORE = """
            SELECT count(*) AS total FROM event_detections WHERE detection_detected_at < $1 OR event_started_at < $2
            """;

    /** $1 events cutoff. */
    static final String COUNT_ALERTS_BEFORE = """
            SELECT count(*) AS total FROM alerts WHERE event_started_at < $1
            """;

    /** $1 cutoff. */
    static final String COUNT_PROCESSED_UPLOADS_BEFORE = """
            SELECT count(*) AS total FROM processed_uploads WHERE uploaded_at < $1
            """;

    /** $1 cutoff. */
    static final String DELETE_PROCESSED_UPLOADS_BEFORE = """
            DELETE FROM processed_uploads WHERE uploaded_at < $1 RETURNING file_path
            """;

    /**
     * $1 cutoff. The original images that only rows older than the cutoff refer to: what a cleanup may delete. An
     * image a newer detection or upload record still names (the same path uploaded again) stays.
     */
    static final String SELECT_IMAGES_ONLY_OLD_ROWS_NAME = """
            SELECT DISTINCT old.file_path
              FROM (SELECT file_path FROM detections WHERE detected_at < $1
                    UNION
                    SELECT file_path FROM processed_uploads WHERE uploaded_at < $1) old
             WHERE NOT EXISTS (SELECT 1 FROM detections d WHERE d.file_path = old.file_path AND d.detected_at >= $1)
               AND NOT EXISTS (SELECT 1 FROM processed_uploads p
                                WHERE p.file_path = old.file_path AND p.uploaded_at >= $1)
            """;

    /** $1 file paths. Those no detection and no upload record names any more. */
    static final String SELECT_IMAGES_NO_ROW_NAMES = """
            SELECT path AS file_path
              FROM unnest($1::text[]) AS path
             WHERE NOT EXISTS (SELECT 1 FROM detections d WHERE d.file_path = path)
               AND NOT EXISTS (SELECT 1 FROM processed_uploads p WHERE p.file_path = path)
            """;

    private RetentionSql() {
    }
}
