package dev.hsi.zones;

/** SQL of the zones API. */
final class ZoneSql {

    /** $1 camera id. */
    static final String CAMERA_EXISTS = """
            SELECT EXISTS (SELECT 1 FROM cameras WHERE id = $1) AS found
            """;

    /** $1 camera id, $2 enabled (null: all). Highest priority first, then oldest. */
    static final String SELECT_ZONES = """
            SELECT id, camera_id, name, zone_type, coordinates, shape, color, enabled, priority, created_at, updated_at
              FROM zones
             WHERE camera_id = $1 AND ($2::boolean IS NULL OR enabled = $2)
             ORDER BY priority DESC, created_at, id
            """;

    /** $1 camera id, $2 zone id. */
    static final String SELECT_ZONE = """
            SELECT id, camera_id, name, zone_type, coordinates, shape, color, enabled, priority, created_at, updated_at
              FROM zones
             WHERE camera_id = $1 AND id = $2
            """;

    /** $1 id, $2 camera id, $3 name, $4 zone_type, $5 coordinates, $6 shape, $7 color, $8 enabled, $9 priority. */
    static final String INSERT_ZONE = """
            INSERT INTO zones (id, camera_id, name, zone_type, coordinates, shape, color, enabled, priority)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9)
            RETURNING id, camera_id, name, zone_type, coordinates, shape, color, enabled, priority, created_at,
                      updated_at
            """;

    /** $1 camera id, $2 zone id, then as INSERT_ZONE from $3. */
    static final String UPDATE_ZONE = """
            UPDATE zones
               SET name = $3, zone_type = $4, coordinates = $5::jsonb, shape = $6, color = $7, enabled = $8,
                   priority = $9, updated_at = now()
             WHERE camera_id = $1 AND id = $2
            RETURNING id, camera_id, name, zone_type, coordinates, shape, color, enabled, priority, created_at,
                      updated_at
            """;

    /** $1 camera id, $2 zone id. */
    static final String DELETE_ZONE = """
            DELETE FROM zones WHERE camera_id = $1 AND id = $2
            """;

    private ZoneSql() {
    }
}
