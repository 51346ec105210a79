package dev.hsi.detect;

/** SQL of the detect stage. */
final class DetectionSql {

    /**
     * All objects of one upload job in one statement (one round trip, one transaction), written once per job: a
     * job that runs again (redelivered after a crash, or pushed twice) gets the rows its first run stored, with
     * their ids, and writes nothing. A job is identified by its file, camera, content hash and detected_at (the
     * upload time, carried by the job); each object by its position among the job's objects.
     *
     * <p>{@code stored} finds an earlier run's rows; only when there are none are the objects inserted. Two runs
     * of one job at the same moment both miss {@code stored}: the second then waits on the unique key and its
     * {@code DO UPDATE} (which changes nothing) returns the first run's rows, where {@code DO NOTHING} would return
     * none.
     *
     * <p>$1 camera_id, $2 file_path, $3 file_type, $4 file_hash, $5 detected_at, $6 media_type, $7 duration,
     * $8 video_codec, $9 video_width, $10 video_height, then parallel arrays: $11 object_type[], $12 confidence[],
     * $13 bbox_x[], $14 bbox_y[], $15 bbox_width[], $16 bbox_height[], $17 enrichment_data[] (jsonb, may be null),
     * $18 zone_ids: a JSON array holding, per object, the array of its zones' ids (an array of arrays, which SQL
     * arrays cannot be: they are rectangular).
     */
    static final String INSERT_DETECTIONS = """
            WITH stored AS (
                SELECT id, detected_at, camera_id, object_type, confidence, bbox_x, bbox_y, bbox_width, bbox_height,
                       enrichment_data, object_index
                  FROM detections
                 WHERE file_path = $2 AND camera_id = $1 AND file_hash = $4 AND detected_at = $5
                   AND object_index IS NOT NULL
            ), inserted AS (
                INSERT INTO detections (camera_id, file_path, file_type, file_hash, detected_at, media_type, duration,
                                        video_codec, video_width, video_height, object_type, confidence,
                                        bbox_x, bbox_y, bbox_width, bbox_height, enrichment_data, object_index,
                                        zone_ids)
                SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                       o.object_type, o.confidence, o.bbox_x, o.bbox_y, o.bbox_width, o.bbox_height, o.enrichment_data,
                       o.position - 1,
                       ARRAY(SELECT jsonb_array_elements_text($18::jsonb -> (o.position::int - 1)))
                  FROM unnest($11::text[], $12::float8[], $13::int[], $14::int[], $15::int[], $16::int[], $17::jsonb[])
                       WITH ORDINALITY AS o (object_type, confidence, bbox_x, bbox_y, bbox_width, bbox_height,
                                             enrichment_data, position)
                 WHERE NOT EXISTS (SELECT 1 FROM stored)
                ON CONFLICT (file_path, camera_id, file_hash, detected_at, object_index)
                DO UPDATE SET object_index = detections.object_index
                RETURNING id, detected_at, camera_id, object_type, confidence, bbox_x, bbox_y, bbox_width, bbox_height,
                          enrichment_data, object_index
            )
            SELECT * FROM stored
            UNION ALL
            SELECT * FROM inserted
            ORDER BY object_index
            """;

    /** Every enabled zone, for the in-memory zone index: read at start and when zones change, never per image. */
    static final String SELECT_ENABLED_ZONES = """
            SELECT id, camera_id, coordinates
              FROM zones
             WHERE enabled
             ORDER BY camera_id, priority DESC, id
            """;

    /** $1 ids, $2 their detected_at, $3 thumbnail paths (parallel arrays). Full keys let PostgreSQL prune. */
    static final String UPDATE_THUMBNAIL_PATHS = """
            UPDATE detections d
               SET thumbnail_path = t.path
              FROM unnest($1::bigint[], $2::timestamptz[], $3::text[]) AS t (id, detected_at, path)
             WHERE d.id = t.id AND d.detected_at = t.detected_at
            """;

    /**
     * Marks an upload processed, with how many objects it kept (zero included); a rerun of the job changes nothing.
     * $1 file_path, $2 uploaded_at, $3 file_hash, $4 camera_id, $5 object_count.
     */
    static final String RECORD_PROCESSED_UPLOAD = """
            INSERT INTO processed_uploads (file_path, uploaded_at, file_hash, camera_id, object_count)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (file_path, uploaded_at) DO NOTHING
            """;

    /**
     * An upload was renamed: its content's detections and processed-upload record under the old name take the new
     * one, so that the API serves its image and reconciliation finds it processed. $1 old file_path, $2 new file_path,
     * $3 file_hash (a name can be reused for other content, whose records stay). A record whose twin already stands
     * under the new name (the same job stored under both names) is left alone rather than break the unique keys.
     * Answers how many rows moved.
     */
    static final String MOVE_RENAMED_UPLOAD = """
            WITH moved_detections AS (
                UPDATE detections d
                   SET file_path = $2
                 WHERE d.file_path = $1 AND d.file_hash = $3
                   AND NOT EXISTS (SELECT 1 FROM detections t
                                    WHERE t.file_path = $2 AND t.camera_id = d.camera_id AND t.file_hash = d.file_hash
                                      AND t.detected_at = d.detected_at AND t.object_index = d.object_index)
                RETURNING 1
            ), moved_uploads AS (
                UPDATE processed_uploads p
                   SET file_path = $2
                 WHERE p.file_path = $1 AND p.file_hash = $3
                   AND NOT EXISTS (SELECT 1 FROM processed_uploads t
                                    WHERE t.file_path = $2 AND t.uploaded_at = p.uploaded_at)
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM moved_detections)::int AS detections,
                   (SELECT count(*) FROM moved_uploads)::int AS uploads
            """;

    private DetectionSql() {
    }
}
