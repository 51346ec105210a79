-- The tables of seed 002 that the pipeline did not need so far. Time-series tables are range-partitioned (logs and
-- audit_logs monthly, gpu_stats weekly), each with a default partition. References into a partitioned table carry
-- the referenced row's partition key and a real foreign key where the reference is part of the row's life (an alert
-- belongs to its event); where the seed says "no FK constraint" (entities.primary_detection_id) or the reference is
-- only context (logs), the application keeps integrity (decision record 0007).

-- Weekly range partitions (weeks start on Monday, UTC), named <table>_wYYYYMMDD after the Monday, for the week of
-- from_week and the weeks_ahead weeks after it. The twin of hsi_create_monthly_partitions.
CREATE FUNCTION hsi_create_weekly_partitions(
    parent      TEXT,
    weeks_ahead INTEGER,
    from_week   TIMESTAMPTZ DEFAULT now()
) RETURNS INTEGER
LANGUAGE plpgsql AS
$$
DECLARE
    first_week TIMESTAMP := date_trunc('week', from_week AT TIME ZONE 'UTC');
    week_start TIMESTAMP;
    partition  TEXT;
    created    INTEGER := 0;
BEGIN
    FOR i IN 0..weeks_ahead LOOP
        week_start := first_week + make_interval(weeks => i);
        partition := format('%s_w%s', parent, to_char(week_start, 'YYYYMMDD'));
        IF to_regclass(partition) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                partition, parent,
                (week_start AT TIME ZONE 'UTC'),
                ((week_start + INTERVAL '1 week') AT TIME ZONE 'UTC'));
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END;
$$;

-- GPU samples, one row per poll.
CREATE TABLE gpu_stats (
    id              BIGSERIAL,
    recorded_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    gpu_name        VARCHAR(255),
    gpu_utilization DOUBLE PRECISION,
    memory_used     INTEGER,
    memory_total    INTEGER,
    temperature     DOUBLE PRECISION,
    power_usage     DOUBLE PRECISION,
    inference_fps   DOUBLE PRECISION,
    PRIMARY KEY (id, recorded_at)
) PARTITION BY RANGE (recorded_at);

CREATE TABLE gpu_stats_default PARTITION OF gpu_stats DEFAULT;
SELECT hsi_create_weekly_partitions('gpu_stats', 9);
CREATE INDEX idx_gpu_stats_recorded_at ON gpu_stats (recorded_at);

-- Structured application logs (backend and frontend). camera_id, event_id and detection_id are context, not owned
-- rows: no foreign keys, and the orphan job clears event/detection ids that retention removed.
CREATE TABLE logs (
    id           BIGSERIAL,
    timestamp    TIMESTAMPTZ NOT NULL DEFAULT now(),
    level        VARCHAR(10) NOT NULL,
    component    VARCHAR(50) NOT NULL,
    message      TEXT        NOT NULL,
    camera_id    VARCHAR(100),
    event_id     BIGINT,
    request_id   VARCHAR(36),
    detection_id BIGINT,
    duration_ms  INTEGER,
    extra        JSONB,
    source       VARCHAR(10) NOT NULL DEFAULT 'backend',
    user_agent   TEXT,
    PRIMARY KEY (id, timestamp),
    CONSTRAINT logs_level_check CHECK (level IN ('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL')),
    CONSTRAINT logs_source_check CHECK (source IN ('backend', 'frontend'))
) PARTITION BY RANGE (timestamp);

CREATE TABLE logs_default PARTITION OF logs DEFAULT;
SELECT hsi_create_monthly_partitions('logs', 2);
CREATE INDEX idx_logs_timestamp ON logs (timestamp);
CREATE INDEX idx_logs_level ON logs (level);
CREATE INDEX idx_logs_component ON logs (component);
CREATE INDEX idx_logs_camera_id ON logs (camera_id);
CREATE INDEX idx_logs_source ON logs (source);
CREATE INDEX idx_logs_event_id ON logs (event_id) WHERE event_id IS NOT NULL;
CREATE INDEX idx_logs_detection_id ON logs (detection_id) WHERE detection_id IS NOT NULL;

-- Security-sensitive operations.
CREATE TABLE audit_logs (
    id            BIGSERIAL,
    timestamp     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    action        VARCHAR(50)  NOT NULL,
    resource_type VARCHAR(50)  NOT NULL,
    resource_id   VARCHAR(255),
    actor         VARCHAR(100) NOT NULL,
    ip_address    VARCHAR(45),
    user_agent    TEXT,
    details       JSONB,
    status        VARCHAR(20)  NOT NULL DEFAULT 'success',
    PRIMARY KEY (id, timestamp),
    CONSTRAINT audit_logs_status_check CHECK (status IN ('success', 'failure'))
) PARTITION BY RANGE (timestamp);

CREATE TABLE audit_logs_default PARTITION OF audit_logs DEFAULT;
SELECT hsi_create_monthly_partitions('audit_logs', 2);
CREATE INDEX idx_audit_logs_timestamp ON audit_logs (timestamp);
CREATE INDEX idx_audit_logs_action ON audit_logs (action);
CREATE INDEX idx_audit_logs_resource_type ON audit_logs (resource_type);
CREATE INDEX idx_audit_logs_actor ON audit_logs (actor);
CREATE INDEX idx_audit_logs_status ON audit_logs (status);
CREATE INDEX idx_audit_logs_resource ON audit_logs (resource_type, resource_id);

-- API keys, stored as SHA-256 hashes only.
CREATE TABLE api_keys (
    id         BIGSERIAL PRIMARY KEY,
    key_hash   VARCHAR(64)  NOT NULL,
    name       VARCHAR(100) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    is_active  BOOLEAN      NOT NULL DEFAULT true
);
CREATE UNIQUE INDEX ix_api_keys_key_hash ON api_keys (key_hash);

-- Regions of interest on a camera's view, in normalised (0..1) coordinates [[x,y],...].
CREATE TABLE zones (
    id          TEXT PRIMARY KEY,
    camera_id   TEXT         NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    name        VARCHAR(255) NOT NULL,
    zone_type   VARCHAR(20)  NOT NULL DEFAULT 'other',
    coordinates JSONB        NOT NULL,
    shape       VARCHAR(10)  NOT NULL DEFAULT 'rectangle',
    color       VARCHAR(7)   NOT NULL DEFAULT '#3B82F6',
    enabled     BOOLEAN      NOT NULL DEFAULT true,
    priority    INTEGER      NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT zones_zone_type_check CHECK (zone_type IN
        ('entry_point', 'exit_point', 'restricted', 'driveway', 'walkway', 'sidewalk', 'yard', 'perimeter',
         'monitored', 'other')),
    CONSTRAINT zones_shape_check CHECK (shape IN ('rectangle', 'polygon')),
    CONSTRAINT zones_color_check CHECK (color ~ '^#[0-9A-Fa-f]{6}$'),
    CONSTRAINT zones_priority_check CHECK (priority BETWEEN 0 AND 100)
);
CREATE INDEX idx_zones_camera_id ON zones (camera_id);
CREATE INDEX idx_zones_enabled ON zones (enabled);
CREATE INDEX idx_zones_camera_enabled ON zones (camera_id, enabled);

-- Conditions that turn events into alerts. All set conditions must hold.
CREATE TABLE alert_rules (
    id                 UUID PRIMARY KEY,
    name               VARCHAR(255) NOT NULL,
    description        TEXT,
    enabled            BOOLEAN      NOT NULL DEFAULT true,
    severity           VARCHAR(10)  NOT NULL DEFAULT 'medium',
    risk_threshold     INTEGER,
    object_types       JSONB,
    camera_ids         JSONB,
    zone_ids           JSONB,
    min_confidence     DOUBLE PRECISION,
    schedule           JSONB,
    conditions         JSONB,
    dedup_key_template VARCHAR(255) NOT NULL DEFAULT '{camera_id}:{rule_id}',
    cooldown_seconds   INTEGER      NOT NULL DEFAULT 300,
    channels           JSONB,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT alert_rules_severity_check CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    CONSTRAINT alert_rules_risk_threshold_check CHECK (risk_threshold IS NULL OR risk_threshold BETWEEN 0 AND 100),
    CONSTRAINT alert_rules_min_confidence_check CHECK (min_confidence IS NULL OR min_confidence BETWEEN 0 AND 1),
    CONSTRAINT alert_rules_cooldown_check CHECK (cooldown_seconds >= 0)
);
CREATE INDEX idx_alert_rules_name ON alert_rules (name);
CREATE INDEX idx_alert_rules_enabled ON alert_rules (enabled);
CREATE INDEX idx_alert_rules_severity ON alert_rules (severity);

-- Alerts raised for events. An alert belongs to its event: it carries the event's full key, so a real foreign key
-- holds and retention of the event removes its alerts. The rule may be deleted while its alerts stay.
CREATE TABLE alerts (
    id               UUID PRIMARY KEY,
    event_id         BIGINT       NOT NULL,
    event_started_at TIMESTAMPTZ  NOT NULL,
    rule_id          UUID REFERENCES alert_rules (id) ON DELETE SET NULL,
    severity         VARCHAR(10)  NOT NULL DEFAULT 'medium',
    status           VARCHAR(15)  NOT NULL DEFAULT 'pending',
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    delivered_at     TIMESTAMPTZ,
    channels         JSONB,
    dedup_key        VARCHAR(255) NOT NULL,
    metadata         JSONB,
    version_id       INTEGER      NOT NULL DEFAULT 1,
    FOREIGN KEY (event_id, event_started_at) REFERENCES events (id, started_at) ON DELETE CASCADE,
    CONSTRAINT alerts_severity_check CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    CONSTRAINT alerts_status_check CHECK (status IN ('pending', 'delivered', 'acknowledged', 'dismissed'))
);
CREATE INDEX idx_alerts_event_id ON alerts (event_id, event_started_at);
CREATE INDEX idx_alerts_rule_id ON alerts (rule_id);
CREATE INDEX idx_alerts_severity ON alerts (severity);
CREATE INDEX idx_alerts_status ON alerts (status);
CREATE INDEX idx_alerts_created_at ON alerts (created_at);
CREATE INDEX idx_alerts_dedup_key ON alerts (dedup_key);
CREATE INDEX idx_alerts_dedup_key_created_at ON alerts (dedup_key, created_at);

-- Activity per camera and hour-of-week slot (168 per camera), as exponentially weighted averages.
CREATE TABLE activity_baselines (
    id           BIGSERIAL PRIMARY KEY,
    camera_id    TEXT             NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    hour         INTEGER          NOT NULL,
    day_of_week  INTEGER          NOT NULL,
    avg_count    DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    sample_count INTEGER          NOT NULL DEFAULT 0,
    last_updated TIMESTAMPTZ      NOT NULL DEFAULT now(),
    CONSTRAINT activity_baselines_slot_key UNIQUE (camera_id, hour, day_of_week),
    CONSTRAINT activity_baselines_hour_check CHECK (hour BETWEEN 0 AND 23),
    CONSTRAINT activity_baselines_day_check CHECK (day_of_week BETWEEN 0 AND 6)
);
CREATE INDEX idx_activity_baseline_camera ON activity_baselines (camera_id);

-- How often each class appears per camera and hour of day.
CREATE TABLE class_baselines (
    id              BIGSERIAL PRIMARY KEY,
    camera_id       TEXT             NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    detection_class TEXT             NOT NULL,
    hour            INTEGER          NOT NULL,
    frequency       DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    sample_count    INTEGER          NOT NULL DEFAULT 0,
    last_updated    TIMESTAMPTZ      NOT NULL DEFAULT now(),
    CONSTRAINT class_baselines_slot_key UNIQUE (camera_id, detection_class, hour),
    CONSTRAINT class_baselines_hour_check CHECK (hour BETWEEN 0 AND 23)
);
CREATE INDEX idx_class_baseline_camera ON class_baselines (camera_id);
CREATE INDEX idx_class_baseline_class ON class_baselines (camera_id, detection_class);

-- Persons and objects seen again across cameras. primary_detection_id points into the partitioned detections table
-- without its partition key, so it cannot carry a foreign key (seeds 000 and 004): the application validates it
-- before every write and a nightly job clears it when retention removed the detection.
CREATE TABLE entities (
    id                   UUID PRIMARY KEY,
    entity_type          VARCHAR(20) NOT NULL DEFAULT 'person',
    trust_status         VARCHAR(20) NOT NULL DEFAULT 'unknown',
    embedding_vector     JSONB,
    first_seen_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    detection_count      INTEGER     NOT NULL DEFAULT 0,
    entity_metadata      JSONB,
    primary_detection_id BIGINT,
    CONSTRAINT entities_entity_type_check CHECK (entity_type IN ('person', 'vehicle', 'animal', 'package', 'other')),
    CONSTRAINT entities_trust_status_check CHECK (trust_status IN ('trusted', 'untrusted', 'unknown'))
);
CREATE INDEX idx_entities_entity_type ON entities (entity_type);
CREATE INDEX idx_entities_trust_status ON entities (trust_status);
CREATE INDEX idx_entities_first_seen_at ON entities (first_seen_at);
CREATE INDEX idx_entities_last_seen_at ON entities (last_seen_at);
CREATE INDEX idx_entities_type_last_seen ON entities (entity_type, last_seen_at);
CREATE INDEX idx_entities_primary_detection_id ON entities (primary_detection_id);
CREATE INDEX ix_entities_entity_metadata_gin ON entities USING gin (entity_metadata);

-- The prompt in use per model; version counts its updates.
CREATE TABLE prompt_configs (
    id            BIGSERIAL PRIMARY KEY,
    model         VARCHAR(50)      NOT NULL,
    system_prompt TEXT             NOT NULL,
    temperature   DOUBLE PRECISION NOT NULL DEFAULT 0.7,
    max_tokens    INTEGER          NOT NULL DEFAULT 2048,
    version       INTEGER          NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ      NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ      NOT NULL DEFAULT now(),
    CONSTRAINT prompt_configs_temperature_check CHECK (temperature BETWEEN 0 AND 2),
    CONSTRAINT prompt_configs_max_tokens_check CHECK (max_tokens BETWEEN 100 AND 8192)
);
CREATE UNIQUE INDEX idx_prompt_configs_model ON prompt_configs (model);
CREATE INDEX idx_prompt_configs_updated_at ON prompt_configs (updated_at);

-- Every version of every prompt, for history and restore; row_version is the optimistic lock.
CREATE TABLE prompt_versions (
    id                 BIGSERIAL PRIMARY KEY,
    model              VARCHAR(50)  NOT NULL,
    version            INTEGER      NOT NULL,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    created_by         VARCHAR(255),
    config_json        TEXT         NOT NULL,
    change_description TEXT,
    is_active          BOOLEAN      NOT NULL DEFAULT false,
    row_version        INTEGER      NOT NULL DEFAULT 1,
    CONSTRAINT prompt_versions_model_version_key UNIQUE (model, version)
);
CREATE INDEX idx_prompt_versions_model ON prompt_versions (model);
CREATE INDEX idx_prompt_versions_model_active ON prompt_versions (model, is_active);
CREATE INDEX idx_prompt_versions_created_at ON prompt_versions (created_at);

-- Scene changes that may mean tampering (lighting, obstruction, movement).
CREATE TABLE scene_changes (
    id          BIGSERIAL PRIMARY KEY,
    camera_id   TEXT        NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    change_type VARCHAR(20) NOT NULL,
    severity    VARCHAR(10) NOT NULL,
    detected_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    resolved_at TIMESTAMPTZ,
    details     JSONB,
    CONSTRAINT scene_changes_change_type_check CHECK (change_type IN ('lighting', 'obstruction', 'movement'))
);
CREATE INDEX idx_scene_changes_camera_time ON scene_changes (camera_id, detected_at);

-- User calibration of a camera's perspective.
CREATE TABLE user_calibrations (
    id               BIGSERIAL PRIMARY KEY,
    camera_id        TEXT        NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    calibration_type VARCHAR(50) NOT NULL,
    calibration_data JSONB       NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_user_calibrations_camera ON user_calibrations (camera_id);
