package dev.hsi.alerts;

/** SQL of the alert rules. */
final class AlertRuleSql {

    /**
     * $1 id, $2 name, $3 description, $4 enabled, $5 severity, $6 risk_threshold, $7 object_types, $8 camera_ids,
     * $9 zone_ids, $10 min_confidence, $11 schedule, $12 conditions, $13 dedup_key_template, $14 cooldown_seconds,
     * $15 channels (JSON values may be null).
     */
    static final String INSERT_RULE = """
            INSERT INTO alert_rules (id, name, description, enabled, severity, risk_threshold, object_types,
                                     camera_ids, zone_ids, min_confidence, schedule, conditions, dedup_key_template,
                                     cooldown_seconds, channels)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10, $11::jsonb, $12::jsonb, $13, $14,
                    $15::jsonb)
            RETURNING *
            """;

    /** As INSERT_RULE; $1 is the rule to change. */
    static final String UPDATE_RULE = """
            UPDATE alert_rules
               SET name = $2, description = $3, enabled = $4, severity = $5, risk_threshold = $6,
                   object_types = $7::jsonb, camera_ids = $8::jsonb, zone_ids = $9::jsonb, min_confidence = $10,
                   schedule = $11::jsonb, conditions = $12::jsonb, dedup_key_template = $13, cooldown_seconds = $14,
                   channels = $15::jsonb, updated_at = now()
             WHERE id = $1
            RETURNING *
            """;

    /** $1 id. */
    static final String SELECT_RULE = """
            SELECT * FROM alert_rules WHERE id = $1
            """;

    /** $1 id. */
    static final String DELETE_RULE = """
            DELETE FROM alert_rules WHERE id = $1
            """;

    /** $1 enabled (null: all), $2 severity (null: all), $3 limit, $4 offset. By name, as the original lists them. */
    static final String SELECT_RULES_PAGE = """
            SELECT * FROM alert_rules
             WHERE ($1::boolean IS NULL OR enabled = $1) AND ($2::text IS NULL OR severity = $2)
             ORDER BY name, id
             LIMIT $3 OFFSET $4
            """;

    /** $1 enabled, $2 severity: as SELECT_RULES_PAGE. */
    static final String COUNT_RULES = """
            SELECT count(*) AS total FROM alert_rules
             WHERE ($1::boolean IS NULL OR enabled = $1) AND ($2::text IS NULL OR severity = $2)
            """;

    static final String SELECT_ENABLED_RULES = """
            SELECT * FROM alert_rules WHERE enabled ORDER BY name, id
            """;

    private AlertRuleSql() {
    }
}
