package dev.hsi.infra;

/** SQL of the partition keeper (JDBC placeholders). The DDL is in the migrations' functions. */
final class PartitionSql {

    /**
     * ? parent table, ? partition name, ? range start, ? range end. Creates the partition, moving the default
     * partition's rows of its range into it; the number of rows moved, or NULL when it existed already.
     */
    static final String CREATE_PARTITION = """
            SELECT hsi_create_partition(?, ?, ?, ?)
            """;

    private PartitionSql() {
    }
}
