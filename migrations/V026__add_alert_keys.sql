-- One alert per event and rule, however often the event is evaluated (a replayed evaluation inserts nothing).
CREATE UNIQUE INDEX alerts_event_rule_key ON alerts (event_id, event_started_at, rule_id);

-- The cooldown looks for an alert with the same dedup key whose event started within cooldown_seconds.
CREATE INDEX idx_alerts_dedup_key_event_started_at ON alerts (dedup_key, event_started_at);

-- Alerts whose delivery did not finish (the process died, or every attempt failed) are found again at start.
CREATE INDEX idx_alerts_pending_created_at ON alerts (created_at) WHERE status = 'pending';
