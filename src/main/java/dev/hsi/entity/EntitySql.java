package dev.hsi.entity;

/** SQL of the entities aggregate. */
final class EntitySql {

    private static final String COLUMNS = """
            id, entity_type, trust_status, embedding_vector, first_seen_at, last_seen_at, detection_count,
            entity_metadata, primary_detection_id
            """;

    /**
     * $1 detection id. Whether the detection exists, locking it against deletion (FOR KEY SHARE) until the write
     * that refers to it commits: retention cannot remove it in between. Looked up by id alone, through each
     * partition's primary key index.
     */
    static final String LOCK_DETECTION = """
            SELECT id FROM detections WHERE id = $1 LIMIT 1 FOR KEY SHARE
            """;

    /** $1 id .. $9 primary_detection_id, in {@link #COLUMNS} order. */
    static final String INSERT_ENTITY = "INSERT INTO entities (" + COLUMNS + """
            ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            RETURNING
            """ + COLUMNS;

    /** $1 id, then $2 entity_type .. $9 primary_detection_id. */
    static final String UPDATE_ENTITY = """
            UPDATE entities
               SET entity_type = $2, trust_status = $3, embedding_vector = $4, first_seen_at = $5, last_seen_at = $6,
                   detection_count = $7, entity_metadata = $8, primary_detection_id = $9
             WHERE id = $1
            RETURNING
            """ + COLUMNS;

    /** $1 id. */
    static final String SELECT_ENTITY = "SELECT " + COLUMNS + " FROM entities WHERE id = $1";

    /** $1 id. The row, locked for the update that follows. */
    static final String SELECT_ENTITY_FOR_UPDATE = "SELECT " + COLUMNS + " FROM entities WHERE id = $1 FOR UPDATE";

    private static final String FILTER = """
             WHERE ($1::text IS NULL OR entity_type = $1)
               AND ($2::text IS NULL OR trust_status = $2)
            """;

    /** $1 entity_type, $2 trust_status (both optional), $3 limit, $4 offset. Most recently seen first. */
    static final String SELECT_ENTITIES_PAGE = "SELECT " + COLUMNS + " FROM entities" + FILTER
            + " ORDER BY last_seen_at DESC, id LIMIT $3 OFFSET $4";

    /** The same filter as {@link #SELECT_ENTITIES_PAGE}, $1-$2. */
    static final String COUNT_ENTITIES = "SELECT count(*) AS total FROM entities" + FILTER;

    private EntitySql() {
    }
}
