-- The enabled zones (zones.id) whose area holds a detection's bottom-centre point, recorded when the detection is
-- stored: the analyser's prompt and rules and the alert rules' zone_ids condition read them. Zones are not
-- partitioned, but an array cannot carry foreign keys: a deleted zone is simply no longer found.
ALTER TABLE detections ADD COLUMN zone_ids TEXT[] NOT NULL DEFAULT '{}';
CREATE INDEX idx_detections_zone_ids ON detections USING gin (zone_ids);
