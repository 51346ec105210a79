package dev.hsi.recovery;

/** SQL of reconciliation. */
final class RecoverySql {

    /**
     * Which of the given files already have detections ($1 file paths, $2 the earliest detected_at to look at).
     * The unique key on detections leads with file_path, so this is one index probe per file and partition.
     */
    static final String FILES_WITH_DETECTIONS = """
            SELECT DISTINCT file_path
              FROM detections
             WHERE file_path = ANY($1::text[]) AND detected_at >= $2
            """;

    /** When each of the given contents ($1 SHA-256 hashes) was detected since $2, under whatever file name. */
    static final String CONTENT_WITH_DETECTIONS = """
            SELECT DISTINCT file_hash, detected_at
              FROM detections
             WHERE file_hash = ANY($1::text[]) AND detected_at >= $2
            """;

    /**
     * Detections since $1 that belong to no event, oldest first per camera, at most $2 of them: their batch was
     * lost (its Redis state vanished, or it never reached Redis) unless it is still open or queued.
     */
    static final String DETECTIONS_WITHOUT_EVENT = """
            SELECT d.id, d.camera_id, d.detected_at, d.file_path
              FROM detections d
             WHERE d.detected_at >= $1
               AND NOT EXISTS (SELECT 1 FROM event_detections ed
                                WHERE ed.detection_id = d.id AND ed.detection_detected_at = d.detected_at)
             ORDER BY d.camera_id, d.detected_at, d.id
             LIMIT $2
            """;

    private RecoverySql() {
    }
}
