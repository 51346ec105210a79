-- One row per upload the detect stage finished, whatever it found: most snapshots show nothing worth keeping, and
-- without this row reconciliation could not tell "processed, nothing kept" from "never processed".
CREATE TABLE processed_uploads (
    file_path    TEXT        NOT NULL,
    uploaded_at  TIMESTAMPTZ NOT NULL,
    file_hash    TEXT        NOT NULL DEFAULT '',
    camera_id    TEXT        NOT NULL,
    object_count INTEGER     NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (file_path, uploaded_at)
);

CREATE INDEX idx_processed_uploads_hash ON processed_uploads (file_hash, uploaded_at);
CREATE INDEX idx_processed_uploads_processed_at ON processed_uploads (processed_at);
