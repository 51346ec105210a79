package dev.hsi.recovery;

/** SQL of reconciliation. */
final class RecoverySql {

    /**
     * Which of the given files were processed ($1 file paths, since $2): they have detections, or a
     * processed_uploads row (uploads that kept nothing have only that). Both lookups lead with file_path.
     */
    static final String FILES_WITH_DETECTIONS = """
            SELECT file_path FROM detections WHERE file_path = ANY($1::text[]) AND detected_at >= $2
            UNION
            SELECT file_path FROM processed_uploads WHERE file_path = ANY($1::text[]) AND uploaded_at >= $2
            """;

    /** When each of the given contents ($1 SHA-256 hashes) was processed since $2, under whatever file name. */
    static final String CONTENT_WITH_DETECTIONS = """
            SELECT file_hash, detected_at FROM detections WHERE file_hash = ANY($1::text[]) AND detected_at >= $2
            UNION
            SELECT file_hash, uploaded_at AS detected_at FROM processed_uploads
             WHERE file_hash = ANY($1::text[]) AND uploaded_at >= $2
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
