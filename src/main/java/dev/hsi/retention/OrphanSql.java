package dev.hsi.retention;

/**
 * References into partitioned tables that cannot carry a foreign key (they lack the partition key): counting those
 * whose row is gone, and clearing them. A detection or event id is looked up by id alone, through the primary key
 * index of each partition. One text per operation, filled with a reference's table, column and referenced table
 * ({@link OrphanReference}, a closed list of identifiers: never user input).
 */
final class OrphanSql {

    /** %1$s the referencing table, %2$s its column, %3$s the partitioned table referenced by id. */
    private static final String ORPHANED = """
             WHERE r.%2$s IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM %3$s t WHERE t.id = r.%2$s)
            """;

    private static final String COUNT = "SELECT count(*) AS orphans FROM %1$s r" + ORPHANED;

    private static final String CLEAR = "UPDATE %1$s r SET %2$s = NULL" + ORPHANED;

    private OrphanSql() {
    }

    static String count(String table, String column, String referenced) {
        return String.format(COUNT, table, column, referenced);
    }

    static String clear(String table, String column, String referenced) {
        return String.format(CLEAR, table, column, referenced);
    }
}
