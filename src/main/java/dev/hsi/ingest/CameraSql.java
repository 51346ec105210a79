package dev.hsi.ingest;

/** SQL of the camera registry kept by the ingest stage. */
final class CameraSql {

    /** $1 id, $2 name, $3 folder_path, $4 seen at. Auto-registers a camera and keeps last_seen_at current. */
    static final String UPSERT_SEEN_CAMERA = """
            INSERT INTO cameras (id, name, folder_path, status, last_seen_at)
            VALUES ($1, $2, $3, 'online', $4)
            ON CONFLICT (id) DO UPDATE
               SET last_seen_at = GREATEST(cameras.last_seen_at, EXCLUDED.last_seen_at),
                   status = 'online'
            """;

    private CameraSql() {
    }
}
