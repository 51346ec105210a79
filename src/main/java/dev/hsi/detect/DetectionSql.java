package dev.hsi.detect;

/** SQL of the detect stage. */
final class DetectionSql {

    /**
     * All objects of one upload in one statement (one round trip, one transaction).
     * $1 camera_id, $2 file_path, $3 file_type, $4 file_hash, $5 detected_at, $6 media_type, $7 duration,
     * $8 video_codec, $9 video_width, $10 video_height, then parallel arrays: $11 object_type[], $12 confidence[],
     * $13 bbox_x[], $14 bbox_y[], $15 bbox_width[], $16 bbox_height[], $17 enrichment_data[] (jsonb, may be null).
     */
    static final String INSERT_DETECTIONS = """
            INSERT INTO detections (camera_id, file_path, file_type, file_hash, detected_at, media_type, duration,
                                    video_codec, video_width, video_height, object_type, confidence,
                                    bbox_x, bbox_y, bbox_width, bbox_height, enrichment_data)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                   o.object_type, o.confidence, o.bbox_x, o.bbox_y, o.bbox_width, o.bbox_height, o.enrichment_data
              FROM unnest($11::text[], $12::float8[], $13::int[], $14::int[], $15::int[], $16::int[], $17::jsonb[])
                   AS o (object_type, confidence, bbox_x, bbox_y, bbox_width, bbox_height, enrichment_data)
            RETURNING id, detected_at, camera_id, object_type, confidence, bbox_x, bbox_y, bbox_width, bbox_height,
                      enrichment_data
            """;

    /** $1 ids, $2 their detected_at, $3 thumbnail paths (parallel arrays). Full keys let PostgreSQL prune. */
    static final String UPDATE_THUMBNAIL_PATHS = """
            UPDATE detections d
               SET thumbnail_path = t.path
              FROM unnest($1::bigint[], $2::timestamptz[], $3::text[]) AS t (id, detected_at, path)
             WHERE d.id = t.id AND d.detected_at = t.detected_at
            """;

    private DetectionSql() {
    }
}
