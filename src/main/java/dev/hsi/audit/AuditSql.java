package dev.hsi.audit;

/**
 * SQL of the audit trail. Time bounds compare the partition key ({@code timestamp}) directly, so PostgreSQL prunes
 * the monthly partitions outside the range.
 */
final class AuditSql {

    static final String COLUMNS = """
            a.id, a.timestamp, a.action, a.resource_type, a.resource_id, a.actor, a.ip_address, a.user_agent,
            a.details, a.status
            """;

    /** $1 action, $2 resource_type, $3 resource_id, $4 actor, $5 status, $6 start, $7 end; each null for any. */
    private static final String FILTER = """
             WHERE a.timestamp >= COALESCE($6::timestamptz, '-infinity')
               AND a.timestamp <= COALESCE($7::timestamptz, 'infinity')
               AND ($1::text IS NULL OR a.action = $1)
               AND ($2::text IS NULL OR a.resource_type = $2)
               AND ($3::text IS NULL OR a.resource_id = $3)
               AND ($4::text IS NULL OR a.actor = $4)
               AND ($5::text IS NULL OR a.status = $5)
            """;

    /** $1-$7 as the filter, $8 limit, $9 offset; newest first. */
    static final String SELECT_PAGE = "SELECT " + COLUMNS + " FROM audit_logs a" + FILTER
            + " ORDER BY a.timestamp DESC, a.id DESC LIMIT $8 OFFSET $9";

    /** $1-$7 as the filter. */
    static final String COUNT = "SELECT count(*) AS total FROM audit_logs a" + FILTER;

    /** $1 id. */
    static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM audit_logs a WHERE a.id = $1";

    /** $1 action ... $8 status; stamped now. */
    static final String INSERT = """
            INSERT INTO audit_logs (action, resource_type, resource_id, actor, ip_address, user_agent, details, status)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """;

    /** $1 start of today (UTC). Every combination with its count, overall and since $1. */
    static final String COUNT_BY_ACTION_RESOURCE_AND_STATUS = """
            SELECT action, resource_type, status, count(*) AS entries,
                   count(*) FILTER (WHERE timestamp >= $1) AS today
              FROM audit_logs
             GROUP BY action, resource_type, status
            """;

    /** $1 how many. The actors seen last, most recent first. */
    static final String RECENT_ACTORS = """
            SELECT actor FROM audit_logs GROUP BY actor ORDER BY max(timestamp) DESC LIMIT $1
            """;

    private AuditSql() {
    }
}
