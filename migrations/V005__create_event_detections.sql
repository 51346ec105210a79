-- Which detections an event groups. Both sides are partitioned tables, so the junction carries their
-- full keys and real foreign keys can hold: deleting either side removes the link.
CREATE TABLE event_detections (
    event_id              BIGINT      NOT NULL,
    event_started_at      TIMESTAMPTZ NOT NULL,
    detection_id          BIGINT      NOT NULL,
    detection_detected_at TIMESTAMPTZ NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, detection_id),
    FOREIGN KEY (event_id, event_started_at) REFERENCES events (id, started_at) ON DELETE CASCADE,
    FOREIGN KEY (detection_id, detection_detected_at) REFERENCES detections (id, detected_at) ON DELETE CASCADE
);

CREATE INDEX idx_event_detections_detection ON event_detections (detection_id, detection_detected_at);
