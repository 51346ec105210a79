-- Which analyser judged an event: the LLM, or the rules (no LLM configured, or the LLM failed and the rules stood
-- in). Events written before this migration were all judged by the rules.
ALTER TABLE events ADD COLUMN analysis_source TEXT NOT NULL DEFAULT 'rules';
ALTER TABLE events ADD CONSTRAINT events_analysis_source_check CHECK (analysis_source IN ('llm', 'rules'));

-- How unusual the batch's activity was for its camera and hour: 0 normal .. 1 rare; NULL while the baselines have
-- too little history to say.
ALTER TABLE events ADD COLUMN anomaly_score DOUBLE PRECISION;
ALTER TABLE events ADD CONSTRAINT events_anomaly_score_check
    CHECK (anomaly_score IS NULL OR anomaly_score BETWEEN 0 AND 1);
