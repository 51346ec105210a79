package dev.hsi.api;

/**
 * SQL of the logs API. Time bounds compare the partition key ({@code timestamp}) directly, so PostgreSQL prunes
 * the monthly partitions outside the range; keyset pages walk (timestamp, id) newest first on
 * {@code idx_logs_timestamp_id}.
 */
final class LogSql {

    private static final String LOG_COLUMNS = """
            l.id, l.timestamp, l.level, l.component, l.message, l.camera_id, l.event_id, l.request_id,
            l.detection_id, l.duration_ms, l.extra, l.source, l.user_agent
            """;

    /** $1 level, $2 component, $3 camera_id, $4 source, $5 text in the message (any case), $6 start, $7 end. */
    private static final String LOG_FILTER = """
             WHERE l.timestamp >= COALESCE($6::timestamptz, '-infinity')
               AND l.timestamp <= COALESCE($7::timestamptz, 'infinity')
               AND ($1::text IS NULL OR l.level = $1)
               AND ($2::text IS NULL OR l.component = $2)
               AND ($3::text IS NULL OR l.camera_id = $3)
               AND ($4::text IS NULL OR l.source = $4)
               AND ($5::text IS NULL OR strpos(lower(l.message), lower($5)) > 0)
            """;

    /** After the cursor ($8 timestamp, $9 id) when there is one; the plain bound prunes and starts the scan. */
    private static final String AFTER_LOG_CURSOR = """
               AND l.timestamp <= COALESCE($8::timestamptz, 'infinity')
               AND ($8::timestamptz IS NULL OR (l.timestamp, l.id) < ($8, $9::bigint))
            """;

    /** $1-$7 as the filter, $8 cursor timestamp, $9 cursor id (both null without a cursor), $10 limit, $11 offset. */
    static final String SELECT_LOGS_PAGE = "SELECT " + LOG_COLUMNS + " FROM logs l" + LOG_FILTER + AFTER_LOG_CURSOR
            + " ORDER BY l.timestamp DESC, l.id DESC LIMIT $10 OFFSET $11";

    /** The same filter as {@link #SELECT_LOGS_PAGE} without the cursor, $1-$7. */
    static final String COUNT_LOGS = "SELECT count(*) AS total FROM logs l" + LOG_FILTER;

    /** $1 id. */
    static final String SELECT_LOG = "SELECT " + LOG_COLUMNS + " FROM logs l WHERE l.id = $1";

    /** $1 start of today (UTC). Counts per level and component since then, for the dashboard's figures. */
    static final String COUNT_SINCE_BY_LEVEL_AND_COMPONENT = """
            SELECT level, component, count(*) AS entries
              FROM logs
             WHERE timestamp >= $1
             GROUP BY level, component
            """;

    /** A frontend log entry, stamped now. $1 level, $2 component, $3 message, $4 extra, $5 user_agent. */
    static final String INSERT_FRONTEND_LOG = """
            INSERT INTO logs (level, component, message, extra, source, user_agent)
            VALUES ($1, $2, $3, $4, 'frontend', $5)
            """;

    private LogSql() {
    }
}
