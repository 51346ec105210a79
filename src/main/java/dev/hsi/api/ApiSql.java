package dev.hsi.api;

/**
 * The read queries behind the REST API. Column names are the JSON field names of the original's responses.
 * Filters are fixed SQL with nullable parameters, so there is one plan per query and nothing is spliced in.
 *
 * <p>Time bounds are always compared with the partition key directly ({@code COALESCE} turns a missing bound into
 * an infinite one, never into an {@code IS NULL OR} that would hide the comparison): PostgreSQL then prunes the
 * partitions outside the range, at planning for a custom plan and at executor start for a generic one
 * ({@code PartitionPruningTest} checks the plans).
 */
final class ApiSql {

    static final String SELECT_CAMERAS = """
            SELECT id, name, folder_path, status, created_at, last_seen_at
              FROM cameras
             WHERE deleted_at IS NULL
             ORDER BY name
            """;

    /** $1 id. */
    static final String SELECT_CAMERA = """
            SELECT id, name, folder_path, status, created_at, last_seen_at
              FROM cameras
             WHERE id = $1 AND deleted_at IS NULL
            """;

    private static final String DETECTION_COLUMNS = """
            d.id, d.camera_id, d.file_path, d.file_type, d.detected_at, d.object_type, d.confidence,
            d.bbox_x, d.bbox_y, d.bbox_width, d.bbox_height, d.thumbnail_path, d.media_type,
            d.duration, d.video_codec, d.video_width, d.video_height
            """;

    private static final String DETECTION_FILTER = """
             WHERE d.detected_at >= COALESCE($3::timestamptz, '-infinity')
               AND d.detected_at <= COALESCE($4::timestamptz, 'infinity')
               AND ($1::text IS NULL OR d.camera_id = $1)
               AND ($2::text IS NULL OR d.object_type = $2)
               AND ($5::float8 IS NULL OR d.confidence >= $5)
            """;

    /** $1 camera_id, $2 object_type, $3 start, $4 end, $5 min_confidence, $6 limit, $7 offset. Newest first. */
    static final String SELECT_DETECTIONS_PAGE = "SELECT " + DETECTION_COLUMNS + " FROM detections d"
            + DETECTION_FILTER + " ORDER BY d.detected_at DESC, d.id DESC LIMIT $6 OFFSET $7";

    /** The same filter as {@link #SELECT_DETECTIONS_PAGE}, $1-$5. */
    static final String COUNT_DETECTIONS = "SELECT count(*) AS total FROM detections d" + DETECTION_FILTER;

    /** $1 id. */
    static final String SELECT_DETECTION = "SELECT " + DETECTION_COLUMNS + " FROM detections d WHERE d.id = $1";

    /** $1 id. What drawing a detection's thumbnail needs. */
    static final String SELECT_DETECTION_SOURCE = """
            SELECT id, file_path, media_type, object_type, confidence, bbox_x, bbox_y, bbox_width, bbox_height,
                   enrichment_data
              FROM detections
             WHERE id = $1
            """;

    /** $1 event id. Its detections, oldest first, through the junction's full keys. */
    static final String SELECT_EVENT_DETECTIONS = "SELECT " + DETECTION_COLUMNS + """
              FROM event_detections ed
              JOIN detections d ON d.id = ed.detection_id AND d.detected_at = ed.detection_detected_at
             WHERE ed.event_id = $1
             ORDER BY d.detected_at, d.id
            """;

    /** An event's fields in the original's shape (used by the list, the detail and the search). */
    static final String EVENT_COLUMNS = """
            e.id, e.camera_id, c.name AS camera_name, e.batch_id, e.started_at, e.ended_at, e.risk_score,
            e.risk_level, e.summary, e.reasoning, e.llm_prompt, e.analysis_source, e.anomaly_score, e.reviewed,
            e.notes, e.is_fast_path, e.object_types,
            ARRAY(SELECT ed.detection_id FROM event_detections ed
                   WHERE ed.event_id = e.id ORDER BY ed.detection_id) AS detection_ids
            """;

    private static final String EVENT_FILTER = """
             WHERE e.deleted_at IS NULL
               AND e.started_at >= COALESCE($3::timestamptz, '-infinity')
               AND e.started_at <= COALESCE($4::timestamptz, 'infinity')
               AND ($1::text IS NULL OR e.camera_id = $1)
               AND ($2::text IS NULL OR e.risk_level = $2)
               AND ($5::boolean IS NULL OR e.reviewed = $5)
               AND ($6::text IS NULL OR $6 = ANY (string_to_array(e.object_types, ',')))
            """;

    /**
     * After the cursor ($7 started_at, $8 id) when there is one. The row comparison finds the exact place; the
     * plain bound on started_at repeats it in a form that prunes partitions and starts the index scan there.
     */
    private static final String AFTER_EVENT_CURSOR = """
               AND e.started_at <= COALESCE($7::timestamptz, 'infinity')
               AND ($7::timestamptz IS NULL OR (e.started_at, e.id) < ($7, $8::bigint))
            """;

    /**
     * $1 camera_id, $2 risk_level, $3 start, $4 end, $5 reviewed, $6 object_type, $7 cursor started_at, $8 cursor
     * id (both null without a cursor), $9 limit, $10 offset. Newest first, as keyset pages walk.
     */
    static final String SELECT_EVENTS_PAGE = "SELECT " + EVENT_COLUMNS
            + " FROM events e JOIN cameras c ON c.id = e.camera_id" + EVENT_FILTER + AFTER_EVENT_CURSOR
            + " ORDER BY e.started_at DESC, e.id DESC LIMIT $9 OFFSET $10";

    /** The same filter as {@link #SELECT_EVENTS_PAGE} without the cursor, $1-$6. */
    static final String COUNT_EVENTS = "SELECT count(*) AS total FROM events e" + EVENT_FILTER;

    /** $1 id. Whether the event exists (not deleted), without building its row. */
    static final String EVENT_EXISTS = """
            SELECT EXISTS (SELECT 1 FROM events WHERE id = $1 AND deleted_at IS NULL) AS found
            """;

    /** $1 id. */
    static final String SELECT_EVENT = "SELECT " + EVENT_COLUMNS
            + " FROM events e JOIN cameras c ON c.id = e.camera_id WHERE e.id = $1 AND e.deleted_at IS NULL";

    /**
     * $1 id, $2 reviewed (null keeps it), $3 whether to set the notes, $4 the notes. The review action of
     * {@code PATCH /api/events/{id}}; no row when the event is missing or deleted.
     */
    static final String REVIEW_EVENT = """
            UPDATE events
               SET reviewed = COALESCE($2::boolean, reviewed),
                   notes = CASE WHEN $3::boolean THEN $4::text ELSE notes END
             WHERE id = $1 AND deleted_at IS NULL
            RETURNING id
            """;

    private ApiSql() {
    }
}
