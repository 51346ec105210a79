-- One row per analysed batch (or fast-path detection), range-partitioned by month of started_at.
CREATE TABLE events (
    id           BIGSERIAL,
    batch_id     TEXT        NOT NULL,
    camera_id    TEXT        NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    started_at   TIMESTAMPTZ NOT NULL,
    ended_at     TIMESTAMPTZ,
    risk_score   INTEGER,
    risk_level   TEXT,
    summary      TEXT,
    reasoning    TEXT,
    llm_prompt   TEXT,
    reviewed     BOOLEAN     NOT NULL DEFAULT false,
    notes        TEXT,
    is_fast_path BOOLEAN     NOT NULL DEFAULT false,
    object_types TEXT,
    clip_path    TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at   TIMESTAMPTZ,
    PRIMARY KEY (id, started_at),
    CONSTRAINT events_risk_score_check CHECK (risk_score IS NULL OR risk_score BETWEEN 0 AND 100),
    CONSTRAINT events_risk_level_check CHECK (risk_level IS NULL OR risk_level IN ('low', 'medium', 'high', 'critical'))
) PARTITION BY RANGE (started_at);

CREATE TABLE events_default PARTITION OF events DEFAULT;
SELECT hsi_create_monthly_partitions('events', 2);

CREATE INDEX idx_events_camera_id ON events (camera_id);
CREATE INDEX idx_events_started_at ON events (started_at);
CREATE INDEX idx_events_risk_score ON events (risk_score);
CREATE INDEX idx_events_reviewed ON events (reviewed);
CREATE INDEX idx_events_batch_id ON events (batch_id);
CREATE INDEX idx_events_started_at_brin ON events USING brin (started_at);
