package dev.hsi.logging;

/** The backend's log lines into {@code logs}: one statement per batch, whatever its size (one array per column). */
final class LogWriteSql {

    /**
     * $1 timestamps, $2 levels, $3 components, $4 messages, $5 camera ids, $6 event ids, $7 detection ids, $8 extra
     * (JSON text); arrays of equal length, one element per line.
     */
    static final String INSERT_BACKEND_LOGS = """
            INSERT INTO logs (timestamp, level, component, message, camera_id, event_id, detection_id, extra, source)
            SELECT line.timestamp, line.level, line.component, line.message, line.camera_id, line.event_id,
                   line.detection_id, line.extra::jsonb, 'backend'
              FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                          $7::bigint[], $8::text[])
                   AS line (timestamp, level, component, message, camera_id, event_id, detection_id, extra)
            """;

    private LogWriteSql() {
    }
}
