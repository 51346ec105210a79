-- Alert evaluation is at least once: an event is marked evaluated in the same transaction that writes its alert, and
-- the alert stage re-evaluates, at start and periodically, the recent events that are not marked (the process died
-- between the event's commit and its evaluation, or PostgreSQL was down then). Events that exist when this migration
-- runs were never meant to alert: they get true (the column's first default fills them), new events get false.
ALTER TABLE events ADD COLUMN alerts_evaluated BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE events ALTER COLUMN alerts_evaluated SET DEFAULT false;

-- The catch-up pass reads only the few events still waiting.
CREATE INDEX idx_events_alerts_pending ON events (created_at) WHERE NOT alerts_evaluated;
