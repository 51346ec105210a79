-- Creates the monthly range partitions of a table partitioned by a timestamptz column, named
-- <table>_yYYYYmMM, for the month of from_month and the months_ahead months after it.
-- Bounds are UTC month starts. Called by migrations and by the server at every start.
CREATE FUNCTION hsi_create_monthly_partitions(
    parent       TEXT,
    months_ahead INTEGER,
    from_month   TIMESTAMPTZ DEFAULT now()
) RETURNS INTEGER
LANGUAGE plpgsql AS
$$
DECLARE
    first_month TIMESTAMP := date_trunc('month', from_month AT TIME ZONE 'UTC');
    month_start TIMESTAMP;
    partition   TEXT;
    created     INTEGER := 0;
BEGIN
    FOR i IN 0..months_ahead LOOP
        month_start := first_month + make_interval(months => i);
        partition := format('%s_y%sm%s', parent, to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
        IF to_regclass(partition) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                partition, parent,
                (month_start AT TIME ZONE 'UTC'),
                ((month_start + INTERVAL '1 month') AT TIME ZONE 'UTC'));
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END;
$$;
