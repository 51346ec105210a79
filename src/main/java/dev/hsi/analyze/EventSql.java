package dev.hsi.analyze;

/** SQL of the analyze stage. */
final class EventSql {

    /**
     * $1 detection ids, $2 the batch id. The batch's detections with their camera's display name, the zones each
     * stood in (as JSON, highest priority first), the event of another batch each already belongs to (null if
     * none), and whether this batch's own event already holds it. A detection announced again after its batch state
     * expired can land in a second batch, and must not land in a second event; a batch analysed again (its job
     * redelivered) finds its own event here, so the usual first run needs no separate look for it.
     */
    static final String SELECT_BATCH_DETECTIONS = """
            SELECT d.id, d.detected_at, d.object_type, d.confidence, c.name AS camera_name,
                   (SELECT coalesce(json_agg(json_build_object('id', z.id, 'name', z.name, 'zone_type', z.zone_type)
                                             ORDER BY z.priority DESC, z.name), '[]')::text
                      FROM zones z
                     WHERE z.id = ANY (d.zone_ids) AND z.camera_id = d.camera_id) AS zones,
                   linked.other_event_id, coalesce(linked.in_own_event, false) AS in_own_event
              FROM detections d
              JOIN cameras c ON c.id = d.camera_id
              LEFT JOIN LATERAL (
                    SELECT min(e.id) FILTER (WHERE e.batch_id <> $2) AS other_event_id,
                           bool_or(e.batch_id = $2) AS in_own_event
                      FROM event_detections ed
                      JOIN events e ON e.id = ed.event_id AND e.started_at = ed.event_started_at
                     WHERE ed.detection_id = d.id AND ed.detection_detected_at = d.detected_at
                   ) linked ON true
             WHERE d.id = ANY ($1::bigint[])
             ORDER BY d.detected_at, d.id
            """;

    private static final String EVENT_COLUMNS = """
            id, batch_id, camera_id, started_at, ended_at, risk_score, risk_level, summary, reasoning, is_fast_path,
            analysis_source, anomaly_score
            """;

    /** $1 batch_id, $2 started_at. The batch's event, if an earlier run of its analysis wrote it. */
    static final String SELECT_BATCH_EVENT = "SELECT " + EVENT_COLUMNS
            + " FROM events WHERE batch_id = $1 AND started_at = $2";

    /**
     * The event and its junction rows in one statement (atomic, one round trip): the links read the new event's full
     * key from the first insert. A batch has one event: (batch_id, started_at) is unique, and started_at is the
     * batch's first detection, the same however often the batch is analysed. When the event exists already, nothing
     * is written and the stored event is returned instead, with {@code created} false. It is read in the same
     * statement, so it is only missing while another run's insert of it has not committed yet: no row comes back
     * then.
     *
     * <p>$1 batch_id, $2 camera_id, $3 started_at, $4 ended_at, $5 risk_score, $6 risk_level, $7 summary,
     * $8 reasoning, $9 is_fast_path, $10 object_types, $11 detection ids, $12 their detected_at (same order),
     * $13 analysis_source, $14 anomaly_score, $15 llm_prompt.
     */
    static final String INSERT_EVENT_WITH_DETECTIONS = """
            WITH event AS (
                INSERT INTO events (batch_id, camera_id, started_at, ended_at, risk_score, risk_level, summary,
                                    reasoning, is_fast_path, object_types, analysis_source, anomaly_score, llm_prompt)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $13, $14, $15)
                ON CONFLICT (batch_id, started_at) DO NOTHING
                RETURNING id, batch_id, camera_id, started_at, ended_at, risk_score, risk_level, summary, reasoning,
                          is_fast_path, analysis_source, anomaly_score
            ), links AS (
                INSERT INTO event_detections (event_id, event_started_at, detection_id, detection_detected_at)
                SELECT event.id, event.started_at, d.id, d.detected_at
                  FROM event, unnest($11::bigint[], $12::timestamptz[]) AS d (id, detected_at)
            )
            SELECT *, true AS created FROM event
            UNION ALL
            SELECT id, batch_id, camera_id, started_at, ended_at, risk_score, risk_level, summary, reasoning,
                   is_fast_path, analysis_source, anomaly_score, false AS created
              FROM events
             WHERE batch_id = $1 AND started_at = $3 AND NOT EXISTS (SELECT 1 FROM event)
            """;

    private EventSql() {
    }
}
