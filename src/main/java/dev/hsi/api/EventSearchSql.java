package dev.hsi.api;

/**
 * Full-text search over events: {@code search_vector} (kept by the database, migration V015) against a tsquery
 * built by {@link SearchQuery}, through the GIN index {@code idx_events_search_vector}. The relevance score is
 * {@code ts_rank} over the weighted vector (summary A, object types and camera name B, reasoning C).
 */
final class EventSearchSql {

    /** $1 tsquery text, then the filters: $2 camera ids, $3 risk levels, $4 object types, $5 reviewed, $6 start, $7 end. */
    private static final String MATCHES = """
              FROM events e
              JOIN cameras c ON c.id = e.camera_id
             CROSS JOIN to_tsquery('english', $1) AS query (q)
             WHERE e.search_vector @@ query.q
               AND e.deleted_at IS NULL
               AND e.started_at >= COALESCE($6::timestamptz, '-infinity')
               AND e.started_at <= COALESCE($7::timestamptz, 'infinity')
               AND ($2::text[] IS NULL OR e.camera_id = ANY ($2))
               AND ($3::text[] IS NULL OR e.risk_level = ANY ($3))
               AND ($4::text[] IS NULL OR string_to_array(e.object_types, ',') && $4)
               AND ($5::boolean IS NULL OR e.reviewed = $5)
            """;

    /** $1-$7 as {@link #MATCHES}, $8 limit, $9 offset. Most relevant first, then newest. */
    static final String SEARCH_EVENTS = "SELECT " + ApiSql.EVENT_COLUMNS
            + ", ts_rank(e.search_vector, query.q) AS relevance_score" + MATCHES + """
             ORDER BY relevance_score DESC, e.started_at DESC, e.id DESC
             LIMIT $8 OFFSET $9
            """;

    /** $1-$7 as {@link #MATCHES}: how many events match in all. */
    static final String COUNT_MATCHES = "SELECT count(*) AS total" + MATCHES;

    private EventSearchSql() {
    }
}
