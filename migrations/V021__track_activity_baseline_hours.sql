-- An activity slot (camera, hour of week) learns detections per hour: avg_count is the exponentially weighted mean
-- of its completed hours and variance their weighted variance (for the standard-deviation threshold);
-- sample_count counts those hours. The hour being counted is current_hour (its start) with current_count
-- detections so far; it joins the average once a later hour of the same slot arrives, and the weeks in between
-- without activity join it as zeros.
ALTER TABLE activity_baselines ADD COLUMN variance DOUBLE PRECISION NOT NULL DEFAULT 0.0;
ALTER TABLE activity_baselines ADD COLUMN current_hour TIMESTAMPTZ;
ALTER TABLE activity_baselines ADD COLUMN current_count INTEGER NOT NULL DEFAULT 0;
