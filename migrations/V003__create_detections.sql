-- One row per object found in an uploaded image, range-partitioned by month of detected_at.
-- The primary key must carry the partition key, so rows are identified by (id, detected_at).
CREATE TABLE detections (
    id             BIGSERIAL,
    camera_id      TEXT        NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    file_path      TEXT        NOT NULL,
    file_type      TEXT,
    file_hash      TEXT,
    detected_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    object_type    TEXT,
    confidence     DOUBLE PRECISION,
    bbox_x         INTEGER,
    bbox_y         INTEGER,
    bbox_width     INTEGER,
    bbox_height    INTEGER,
    thumbnail_path TEXT,
    media_type     TEXT        NOT NULL DEFAULT 'image',
    duration       DOUBLE PRECISION,
    video_codec    TEXT,
    video_width    INTEGER,
    video_height   INTEGER,
    enrichment_data JSONB,
    PRIMARY KEY (id, detected_at),
    CONSTRAINT detections_confidence_check CHECK (confidence IS NULL OR confidence BETWEEN 0 AND 1),
    CONSTRAINT detections_media_type_check CHECK (media_type IN ('image', 'video'))
) PARTITION BY RANGE (detected_at);

CREATE TABLE detections_default PARTITION OF detections DEFAULT;
SELECT hsi_create_monthly_partitions('detections', 2);

CREATE INDEX idx_detections_camera_id ON detections (camera_id);
CREATE INDEX idx_detections_detected_at ON detections (detected_at);
CREATE INDEX idx_detections_camera_time ON detections (camera_id, detected_at);
CREATE INDEX idx_detections_camera_object_type ON detections (camera_id, object_type);
CREATE INDEX idx_detections_detected_at_brin ON detections USING brin (detected_at);
CREATE INDEX idx_detections_enrichment_data ON detections USING gin (enrichment_data jsonb_path_ops);
