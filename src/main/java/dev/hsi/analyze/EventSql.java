package dev.hsi.analyze;

/** SQL of the analyze stage. */
final class EventSql {

    /** $1 detection ids. The batch's detections with their camera's display name. */
    static final String SELECT_BATCH_DETECTIONS = """
            SELECT d.id, d.detected_at, d.object_type, d.confidence, c.name AS camera_name
              FROM detections d
              JOIN cameras c ON c.id = d.camera_id
             WHERE d.id = ANY ($1::bigint[])
             ORDER BY d.detected_at, d.id
            """;

    /**
     * The event and its junction rows in one statement (atomic, one round trip): the links read the new event's full
     * key from the first insert. $1 batch_id, $2 camera_id, $3 started_at, $4 ended_at, $5 risk_score,
     * $6 risk_level, $7 summary, $8 reasoning, $9 is_fast_path, $10 object_types, $11 detection ids,
     * $12 their detected_at (same order).
     */
    static final String INSERT_EVENT_WITH_DETECTIONS = """
            WITH event AS (
                INSERT INTO events (batch_id, camera_id, started_at, ended_at, risk_score, risk_level, summary,
                                    reasoning, is_fast_path, object_types)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                RETURNING id, started_at
            ), links AS (
                INSERT INTO event_detections (event_id, event_started_at, detection_id, detection_detected_at)
                SELECT event.id, event.started_at, d.id, d.detected_at
                  FROM event, unnest($11::bigint[], $12::timestamptz[]) AS d (id, detected_at)
            )
            SELECT id, started_at FROM event
            """;

    private EventSql() {
    }
}
