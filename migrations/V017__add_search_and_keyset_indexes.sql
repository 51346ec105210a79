-- GIN index for full-text search (the original's idx_events_search_vector), built after the backfill.
CREATE INDEX idx_events_search_vector ON events USING gin (search_vector);

-- Keyset paging walks (started_at, id) newest first, overall and for one camera; logs walk (timestamp, id). With
-- the tie-breaking id in the index, the page's start is found in the index and the order needs no sort.
CREATE INDEX idx_events_started_at_id ON events (started_at, id);
CREATE INDEX idx_events_camera_started_at_id ON events (camera_id, started_at, id);
CREATE INDEX idx_logs_timestamp_id ON logs (timestamp, id);
