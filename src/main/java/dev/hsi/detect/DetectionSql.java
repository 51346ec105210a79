package dev.hsi.detect;

/** SQL of the detect stage. */
final class DetectionSql {

    /**
     * All objects of one image in one statement (one round trip, one transaction).
     * $1 camera_id, $2 file_path, $3 file_type, $4 file_hash, $5 detected_at, then parallel arrays:
     * $6 object_type[], $7 confidence[], $8 bbox_x[], $9 bbox_y[], $10 bbox_width[], $11 bbox_height[].
     */
    static final String INSERT_IMAGE_DETECTIONS = """
            INSERT INTO detections (camera_id, file_path, file_type, file_hash, detected_at, media_type,
                                    object_type, confidence, bbox_x, bbox_y, bbox_width, bbox_height)
            SELECT $1, $2, $3, $4, $5, 'image',
                   o.object_type, o.confidence, o.bbox_x, o.bbox_y, o.bbox_width, o.bbox_height
              FROM unnest($6::text[], $7::float8[], $8::int[], $9::int[], $10::int[], $11::int[])
                   AS o (object_type, confidence, bbox_x, bbox_y, bbox_width, bbox_height)
            RETURNING id, detected_at, camera_id, object_type, confidence
            """;

    private DetectionSql() {
    }
}
