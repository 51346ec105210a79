package dev.hsi.retention;

import dev.hsi.infra.PartitionedTable;
import java.util.List;

/**
 * What retention does per partitioned table: which retention applies, how its rows are counted and deleted by
 * range, and which rows of other tables reference it by foreign key (they must go first: PostgreSQL refuses to
 * detach a partition that referencing rows still point into). {@code RetentionVerticleTest} checks that this list
 * names every foreign key into a partitioned table.
 */
enum RetainedTable {

    DETECTIONS(PartitionedTable.DETECTIONS, Retention.DATA, RetentionSql.DELETE_DETECTIONS,
            List.of(new Reference("event_detections", RetentionSql.DELETE_LINKS_OF_DETECTIONS,
                    Reference.Kind.EVENT_DETECTION_LINKS))),
    EVENTS(PartitionedTable.EVENTS, Retention.DATA,
            List.of(new Reference("event_detections", RetentionSql.DELETE_LINKS_OF_EVENTS,
                            Reference.Kind.EVENT_DETECTION_LINKS),
                    new Reference("alerts", RetentionSql.DELETE_ALERTS_OF_EVENTS, Reference.Kind.ALERTS))),
    GPU_STATS(PartitionedTable.GPU_STATS, Retention.DATA, List.of()),
    LOGS(PartitionedTable.LOGS, Retention.LOGS, List.of()),
    AUDIT_LOGS(PartitionedTable.AUDIT_LOGS, Retention.LOGS, List.of());

    /** Which setting keeps a table's rows: {@code RETENTION_DAYS} or {@code LOG_RETENTION_DAYS}. */
    enum Retention {
        DATA, LOGS
    }

    /** Rows of another table that point into this one: the statement deleting those of a range ($1, $2). */
    record Reference(String referencingTable, String deleteInRange, Kind kind) {
        enum Kind {
            EVENT_DETECTION_LINKS, ALERTS
        }
    }

    private final PartitionedTable table;
    private final Retention retention;
    private final String countInRange;
    private final String deleteInRange;
    private final List<Reference> references;

    /** Rows counted and deleted by their partition key's range. */
    RetainedTable(PartitionedTable table, Retention retention, List<Reference> references) {
        this(table, retention, RetentionSql.deleteInRange(table), references);
    }

    /** {@code deleteInRange}: a delete of its own, for a table whose deleted rows leave files to remove. */
    RetainedTable(PartitionedTable table, Retention retention, String deleteInRange, List<Reference> references) {
        this.table = table;
        this.retention = retention;
        this.countInRange = RetentionSql.countInRange(table);
        this.deleteInRange = deleteInRange;
        this.references = references;
    }

    PartitionedTable table() {
        return table;
    }

    String tableName() {
        return table.tableName();
    }

    Retention retention() {
        return retention;
    }

    String countInRange() {
        return countInRange;
    }

    String deleteInRange() {
        return deleteInRange;
    }

    List<Reference> references() {
        return references;
    }
}
