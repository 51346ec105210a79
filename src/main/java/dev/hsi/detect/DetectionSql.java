package dev.hsi.detect;

/** SQL of the detect stage. */
final class DetectionSql {

    /**
     * The objects of every upload of a detector group and each upload's {@code processed_uploads} row, in one
     * statement (one round trip, one transaction), written once per upload: an upload that was stored before (its job
     * redelivered after a crash, pushed twice, or retried) gets back the rows its first run stored, with their ids,
     * and writes nothing. An upload is identified by its file, camera, content hash and detected_at (the upload time,
     * carried by the job); each object by its position among the upload's objects.
     *
     * <p>{@code stored} finds the earlier rows of each upload; only the uploads without any have their objects
     * inserted. Two runs of one upload at the same moment both miss {@code stored}: the second then waits on the
     * unique key until the first commits, and its {@code DO UPDATE} (which changes nothing) returns the first run's
     * rows, where {@code DO NOTHING} would return none. The result is one row per object, tagged with the upload's
     * position ({@code upload}, from 1) and in object order.
     *
     * <p>The lookup is one probe of the unique key per upload. The {@code LATERAL} subquery with {@code OFFSET 0}
     * (which keeps the planner from merging it into a join) cannot become a hash join over a range of
     * {@code detected_at}, which a generic plan may find cheaper and which a group holding a month-old redelivered job
     * would pay with a scan of that month. Its {@code ORDER BY object_index} is what the unique key's index returns
     * anyway; it makes that index the cheapest even on a partition never analysed yet (a new month), where all
     * indexes look alike and the planner would otherwise probe one on {@code camera_id} alone, reading all of the
     * camera's rows of the month until autovacuum analyses the partition.
     *
     * <p>The uploads must be distinct and in ascending {@code detected_at} order (then file, camera, hash):
     * {@code $5}'s first and last element bound the lookup, so that even a generic plan reads only their months
     * (pruned when the executor starts; each probe then prunes to its own upload's month), and two statements that
     * share uploads take their row locks in the same order, so they wait for each other instead of deadlocking.
     *
     * <p>Per upload (parallel arrays, one element each): $1 camera_id, $2 file_path, $3 file_type, $4 file_hash,
     * $5 detected_at, $6 media_type, $7 duration, $8 video_codec, $9 video_width, $10 video_height, $11 the number
     * of objects found (for {@code processed_uploads}; zero is a valid upload). Per object: $12 its upload's position
     * in $1..$11 (from 1), $13 object_index (its position among its upload's objects, from 0), $14 object_type,
     * $15 confidence, $16 bbox_x, $17 bbox_y, $18 bbox_width, $19 bbox_height, $20 enrichment_data (jsonb, may be
     * null), $21 and $22 the first and last position (from 1; last = first - 1 for none) of its zones' ids in
     * $23, which holds the zone ids of all objects one after another. A slice of one flat array is exact for any
     * zone id text (no separator to escape), and costs well under half of unpacking a JSON array per row
     * (docs/performance.md).
     */
    static final String STORE_UPLOADS = """
            WITH upload AS (
                SELECT *
                  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[],
                              $7::float8[], $8::text[], $9::int[], $10::int[], $11::int[])
                       WITH ORDINALITY AS u (camera_id, file_path, file_type, file_hash, detected_at, media_type,
                                             duration, video_codec, video_width, video_height, object_count, upload)
            ), stored AS (
                SELECT u.upload, d.*
                  FROM upload u
                 CROSS JOIN LATERAL (
                       SELECT id, detected_at, camera_id, object_type, confidence, bbox_x, bbox_y, bbox_width,
                              bbox_height, enrichment_data, object_index
                         FROM detections
                        WHERE file_path = u.file_path AND camera_id = u.camera_id AND file_hash = u.file_hash
                          AND detected_at = u.detected_at AND object_index IS NOT NULL
                          AND detected_at BETWEEN ($5::timestamptz[])[1]
                                              AND ($5::timestamptz[])[cardinality($5::timestamptz[])]
                        ORDER BY object_index
                       OFFSET 0
                       ) d
            ), inserted AS (
                INSERT INTO detections (camera_id, file_path, file_type, file_hash, detected_at, media_type, duration,
                                        video_codec, video_width, video_height, object_type, confidence,
                                        bbox_x, bbox_y, bbox_width, bbox_height, enrichment_data, object_index,
                                        zone_ids)
                SELECT u.camera_id, u.file_path, u.file_type, u.file_hash, u.detected_at, u.media_type, u.duration,
                       u.video_codec, u.video_width, u.video_height,
                       o.object_type, o.confidence, o.bbox_x, o.bbox_y, o.bbox_width, o.bbox_height, o.enrichment_data,
                       o.object_index, ($23::text[])[o.zone_first:o.zone_last]
                  FROM unnest($12::int[], $13::int[], $14::text[], $15::float8[], $16::int[], $17::int[], $18::int[],
                              $19::int[], $20::jsonb[], $21::int[], $22::int[])
                       AS o (upload, object_index, object_type, confidence, bbox_x, bbox_y, bbox_width, bbox_height,
                             enrichment_data, zone_first, zone_last)
                  JOIN upload u ON u.upload = o.upload
                 WHERE NOT EXISTS (SELECT 1 FROM stored s WHERE s.upload = o.upload)
                 ORDER BY o.upload, o.object_index
                ON CONFLICT (file_path, camera_id, file_hash, detected_at, object_index)
                DO UPDATE SET object_index = detections.object_index
                RETURNING id, detected_at, camera_id, file_path, file_hash, object_type, confidence, bbox_x, bbox_y,
                          bbox_width, bbox_height, enrichment_data, object_index
            ), processed AS (
                INSERT INTO processed_uploads (file_path, uploaded_at, file_hash, camera_id, object_count)
                SELECT file_path, detected_at, COALESCE(file_hash, ''), camera_id, object_count
                  FROM upload
                 ORDER BY upload
                ON CONFLICT (file_path, uploaded_at) DO NOTHING
            )
            SELECT * FROM stored
            UNION ALL
            SELECT u.upload, i.id, i.detected_at, i.camera_id, i.object_type, i.confidence, i.bbox_x, i.bbox_y,
                   i.bbox_width, i.bbox_height, i.enrichment_data, i.object_index
              FROM inserted i
              JOIN upload u
                ON i.file_path = u.file_path AND i.camera_id = u.camera_id AND i.detected_at = u.detected_at
               AND i.file_hash IS NOT DISTINCT FROM u.file_hash
            ORDER BY upload, object_index
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
