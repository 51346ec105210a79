package dev.hsi.alerts;

/** SQL of the alert stage and the alerts API. */
final class AlertSql {

    /**
     * Events with what the rules look at: score, camera, and every detection's type, confidence and zones.
     * $1 event ids (null: any), $2 their started_at (null: any; narrows the partitions read), $3 limit. Newest first.
     */
    static final String SELECT_EVENT_FACTS = """
            SELECT e.id, e.started_at, e.ended_at, e.camera_id, c.name AS camera_name, e.risk_score, e.risk_level,
                   e.summary, e.alerts_evaluated,
                   COALESCE((SELECT jsonb_agg(jsonb_build_object('object_type', d.object_type,
                                                                 'confidence', d.confidence,
                                                                 'zone_ids', to_jsonb(d.zone_ids))
                                              ORDER BY d.detected_at, d.id)
                               FROM event_detections ed
                               JOIN detections d ON d.id = ed.detection_id AND d.detected_at = ed.detection_detected_at
                              WHERE ed.event_id = e.id AND ed.event_started_at = e.started_at), '[]') AS detections
              FROM events e
              JOIN cameras c ON c.id = e.camera_id
             WHERE ($1::bigint[] IS NULL OR e.id = ANY ($1))
               AND ($2::timestamptz[] IS NULL OR e.started_at = ANY ($2))
               AND e.deleted_at IS NULL
             ORDER BY e.started_at DESC, e.id DESC
             LIMIT $3
            """;

    /**
     * Events not yet evaluated for alerts, committed within the last $1 seconds but at least $2 seconds ago (younger
     * ones are still on their way through the live path). $3 limit. Oldest first.
     */
    static final String SELECT_UNEVALUATED_EVENTS = """
            SELECT id, started_at
              FROM events
             WHERE NOT alerts_evaluated
               AND created_at > now() - make_interval(secs => $1::float8)
               AND created_at < now() - make_interval(secs => $2::float8)
             ORDER BY created_at, id
             LIMIT $3
            """;

    /** $1 event id, $2 started_at: an event that raised no alert. No row: evaluated before. */
    static final String MARK_EVALUATED = """
            UPDATE events SET alerts_evaluated = true
             WHERE id = $1 AND started_at = $2 AND NOT alerts_evaluated
            """;

    /**
     * Marks the event evaluated and writes its alert, in one statement (one round trip, atomic): nothing when the
     * event was evaluated before, when an alert with the same dedup key belongs to an event that started less than
     * the cooldown before or after this one (a burst gives one alert, whatever order its events are evaluated in),
     * or when this event already has an alert from this rule. The alert stage evaluates one event at a time, so two
     * evaluations never race on the cooldown check. $1 id, $2 event id, $3 event started_at, $4 rule id,
     * $5 severity, $6 channels, $7 dedup key, $8 metadata, $9 cooldown seconds. No row: no alert written.
     */
    static final String MARK_EVALUATED_WITH_ALERT = """
            WITH marked AS (
                UPDATE events SET alerts_evaluated = true
                 WHERE id = $2 AND started_at = $3 AND NOT alerts_evaluated
                RETURNING id
            )
            INSERT INTO alerts (id, event_id, event_started_at, rule_id, severity, status, channels, dedup_key,
                                metadata)
            SELECT $1::uuid, $2::bigint, $3::timestamptz, $4::uuid, $5, 'pending', $6::jsonb, $7::text, $8::jsonb
              FROM marked
             WHERE NOT EXISTS (SELECT 1 FROM alerts
                                WHERE dedup_key = $7::text
                                  AND event_started_at > $3::timestamptz - make_interval(secs => $9::float8)
                                  AND event_started_at < $3::timestamptz + make_interval(secs => $9::float8))
            ON CONFLICT (event_id, event_started_at, rule_id) DO NOTHING
            RETURNING *, NULL::text AS camera_id
            """;

    /** Alerts whose delivery is unfinished, created within the last $1 seconds, that name a channel. Oldest first. */
    static final String SELECT_PENDING_DELIVERIES = """
            SELECT a.*, e.camera_id
              FROM alerts a
              JOIN events e ON e.id = a.event_id AND e.started_at = a.event_started_at
             WHERE a.status = 'pending'
               AND a.created_at > now() - make_interval(secs => $1::float8)
               AND jsonb_array_length(COALESCE(a.channels, '[]')) > 0
             ORDER BY a.created_at
            """;

    /**
     * Records delivery outcomes. $1 alert id, $2 outcomes by channel (merged into metadata.delivery), $3 whether every
     * channel is now delivered: then a pending alert becomes delivered (one already acknowledged or dismissed keeps
     * its status) and delivered_at is set once.
     */
    static final String RECORD_DELIVERY = """
            WITH changed AS (
                UPDATE alerts
                   SET metadata = jsonb_set(COALESCE(metadata, '{}'), '{delivery}',
                                            COALESCE(metadata -> 'delivery', '{}') || $2::jsonb),
                       status = CASE WHEN $3 AND status = 'pending' THEN 'delivered' ELSE status END,
                       delivered_at = CASE WHEN $3 AND delivered_at IS NULL THEN now() ELSE delivered_at END,
                       updated_at = now(),
                       version_id = version_id + 1
                 WHERE id = $1
                RETURNING *
            )
            SELECT changed.*, e.camera_id
              FROM changed JOIN events e ON e.id = changed.event_id AND e.started_at = changed.event_started_at
            """;

    /** $1 alert id. */
    static final String SELECT_ALERT = """
            SELECT a.*, e.camera_id
              FROM alerts a
              JOIN events e ON e.id = a.event_id AND e.started_at = a.event_started_at
             WHERE a.id = $1
            """;

    /** $1 status (null: any), $2 severity (null: any), $3 limit, $4 offset. Newest first. */
    static final String SELECT_ALERTS_PAGE = """
            SELECT a.*, e.camera_id
              FROM alerts a
              JOIN events e ON e.id = a.event_id AND e.started_at = a.event_started_at
             WHERE ($1::text IS NULL OR a.status = $1) AND ($2::text IS NULL OR a.severity = $2)
             ORDER BY a.created_at DESC, a.id
             LIMIT $3 OFFSET $4
            """;

    /** $1 status, $2 severity: as SELECT_ALERTS_PAGE. */
    static final String COUNT_ALERTS = """
            SELECT count(*) AS total FROM alerts
             WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR severity = $2)
            """;

    /** A user's status change. $1 alert id, $2 new status, $3 the statuses it may come from. No row: not allowed. */
    static final String CHANGE_STATUS = """
            WITH changed AS (
                UPDATE alerts
                   SET status = $2, updated_at = now(), version_id = version_id + 1
                 WHERE id = $1 AND status = ANY ($3::text[])
                RETURNING *
            )
            SELECT changed.*, e.camera_id
              FROM changed JOIN events e ON e.id = changed.event_id AND e.started_at = changed.event_started_at
            """;

    private AlertSql() {
    }
}
