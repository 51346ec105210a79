package dev.hsi.retention;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The retention cleanup's reads and writes. Each removing method is one transaction: the rows that reference the
 * removed ones go first, in the same transaction, so that the foreign keys never block a detach and every row
 * removed is counted.
 */
final class RetentionRepository {

    /** Sent by the PostgreSQL client as {@code -infinity}: a range with no lower bound. */
    private static final OffsetDateTime NO_LOWER_BOUND = OffsetDateTime.MIN;

    private final Pool pool;

    RetentionRepository(Pool pool) {
        this.pool = pool;
    }

    Uni<List<Partition>> partitions(RetainedTable table) {
        return pool.preparedQuery(RetentionSql.SELECT_PARTITIONS).execute(Tuple.of(table.tableName()))
                .map(rows -> {
                    List<Partition> partitions = new ArrayList<>();
                    rows.forEach(row -> partitions.add(partitionFromRow(row)));
                    return partitions;
                });
    }

    /** Deletes what references the partition, notes its files and rows, then detaches and drops it. */
    Uni<Removed> dropPartition(RetainedTable table, Partition partition) {
        Tuple range = Tuple.of(utc(partition.from()), utc(partition.to()));
        return pool.withTransaction(conn -> deleteReferences(conn, table, range)
                .flatMap(references -> filesOf(conn, table, range)
                        .flatMap(files -> count(conn, table.countInRange(), range)
                                .flatMap(rows -> conn.preparedQuery(RetentionSql.DROP_PARTITION)
                                        .execute(Tuple.of(table.tableName(), partition.name()))
                                        .map(dropped -> new Removed(rows, references[0], references[1], files))))));
    }

    /** Deletes the rows older than the cutoff row by row: those of a straddling partition and the default one. */
    Uni<Removed> deleteRowsBefore(RetainedTable table, Instant cutoff) {
        Tuple range = Tuple.of(NO_LOWER_BOUND, utc(cutoff));
        return pool.withTransaction(conn -> deleteReferences(conn, table, range)
                .flatMap(references -> conn.preparedQuery(table.deleteInRange()).execute(range)
                        .map(rows -> new Removed(rows.rowCount(), references[0], references[1],
                                table == RetainedTable.DETECTIONS ? detectionFiles(rows) : List.of()))));
    }

    /** The file paths of the upload records deleted. */
    Uni<List<String>> deleteProcessedUploadsBefore(Instant cutoff) {
        return pool.preparedQuery(RetentionSql.DELETE_PROCESSED_UPLOADS_BEFORE).execute(Tuple.of(utc(cutoff)))
                .map(RetentionRepository::filePaths);
    }

    /** Those of the given original images that no row names any more. */
    Uni<List<String>> imagesNoRowNames(Collection<String> filePaths) {
        return pool.preparedQuery(RetentionSql.SELECT_IMAGES_NO_ROW_NAMES)
                .execute(Tuple.of(filePaths.toArray(String[]::new)))
                .map(RetentionRepository::filePaths);
    }

    Uni<Long> countRowsBefore(RetainedTable table, Instant cutoff) {
        return count(pool, table.countInRange(), Tuple.of(NO_LOWER_BOUND, utc(cutoff)));
    }

    Uni<Long> countLinksBefore(Instant detectionsCutoff, Instant eventsCutoff) {
        return count(pool, RetentionSql.COUNT_LINKS_BEFORE, Tuple.of(utc(detectionsCutoff), utc(eventsCutoff)));
    }

    Uni<Long> countAlertsBefore(Instant eventsCutoff) {
        return count(pool, RetentionSql.COUNT_ALERTS_BEFORE, Tuple.of(utc(eventsCutoff)));
    }

    Uni<Long> countProcessedUploadsBefore(Instant cutoff) {
        return count(pool, RetentionSql.COUNT_PROCESSED_UPLOADS_BEFORE, Tuple.of(utc(cutoff)));
    }

    Uni<List<DetectionFiles>> detectionFilesBefore(Instant cutoff) {
        return pool.preparedQuery(RetentionSql.SELECT_DETECTION_FILES).execute(Tuple.of(NO_LOWER_BOUND, utc(cutoff)))
                .map(RetentionRepository::detectionFiles);
    }

    /** The original images only rows older than the cutoff name. */
    Uni<List<String>> imagesOnlyOldRowsName(Instant cutoff) {
        return pool.preparedQuery(RetentionSql.SELECT_IMAGES_ONLY_OLD_ROWS_NAME).execute(Tuple.of(utc(cutoff)))
                .map(RetentionRepository::filePaths);
    }

    /** {links, alerts} deleted, one reference after the other. */
    private static Uni<long[]> deleteReferences(SqlClient conn, RetainedTable table, Tuple range) {
        long[] deleted = new long[2];
        return Multi.createFrom().iterable(table.references())
                .onItem().transformToUniAndConcatenate(reference -> conn.preparedQuery(reference.deleteInRange())
                        .execute(range)
                        .invoke(rows -> deleted[reference.kind() == RetainedTable.Reference.Kind.ALERTS ? 1 : 0]
                                += rows.rowCount()))
                .collect().last()
                .map(ignored -> deleted);
    }

    private static Uni<List<DetectionFiles>> filesOf(SqlClient conn, RetainedTable table, Tuple range) {
        if (table != RetainedTable.DETECTIONS) {
            return Uni.createFrom().item(List.of());
        }
        return conn.preparedQuery(RetentionSql.SELECT_DETECTION_FILES).execute(range)
                .map(RetentionRepository::detectionFiles);
    }

    private static Uni<Long> count(SqlClient client, String sql, Tuple params) {
        return client.preparedQuery(sql).execute(params).map(rows -> rows.iterator().next().getLong("total"));
    }

    private static Partition partitionFromRow(Row row) {
        OffsetDateTime from = row.getOffsetDateTime("range_from");
        OffsetDateTime to = row.getOffsetDateTime("range_to");
        return new Partition(row.getString("partition"), row.getBoolean("is_default"),
                from == null ? null : from.toInstant(), to == null ? null : to.toInstant(),
                row.getLong("total_bytes"));
    }

    private static List<DetectionFiles> detectionFiles(RowSet<Row> rows) {
        List<DetectionFiles> files = new ArrayList<>(rows.size());
        rows.forEach(row -> files.add(new DetectionFiles(row.getLong("id"), row.getString("thumbnail_path"),
                row.getString("file_path"))));
        return files;
    }

    private static List<String> filePaths(RowSet<Row> rows) {
        List<String> paths = new ArrayList<>(rows.size());
        rows.forEach(row -> paths.add(row.getString("file_path")));
        return paths;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
