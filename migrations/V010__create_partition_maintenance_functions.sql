-- Partition upkeep while the server runs. The server decides which ranges it needs (infra.PartitionKeeper) and
-- which partitions retention drops (retention.CleanupJob); the DDL itself lives here. Both functions take the same
-- transaction-scoped advisory lock, so that two servers on one database, or creation and retention, never change
-- one table's partitions at the same time.

-- The advisory lock key of partition changes: one constant, so every caller takes the same lock.
CREATE FUNCTION hsi_partition_lock() RETURNS BIGINT
LANGUAGE sql IMMUTABLE AS
$$ SELECT 485349010001::BIGINT $$;

-- Inserts every row of the temporary table <source> into <target>, column by column by name, leaving out generated
-- columns (the database computes those again) and keeping the rows' own ids, identity columns included.
CREATE FUNCTION hsi_insert_all(target REGCLASS, source TEXT) RETURNS VOID
LANGUAGE plpgsql AS
$$
DECLARE
    column_list TEXT;
BEGIN
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO column_list
      FROM pg_attribute
     WHERE attrelid = target AND attnum > 0 AND NOT attisdropped AND attgenerated = '';
    EXECUTE format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM %I',
                   target, column_list, column_list, source);
END;
$$;

-- Creates the range partition <partition> of <parent> for [range_from, range_to), in the caller's transaction.
-- PostgreSQL refuses to create a partition while the default partition holds rows of its range, so those rows are
-- first copied aside and deleted from the default partition, and inserted again (now routed to the new partition)
-- once it exists. Rows of other tables that reference the moved rows by foreign key (event_detections, alerts) are
-- set aside and put back the same way, so that no ON DELETE action touches them. Returns the number of rows moved,
-- or NULL when the partition exists already.
CREATE FUNCTION hsi_create_partition(
    parent     TEXT,
    partition  TEXT,
    range_from TIMESTAMPTZ,
    range_to   TIMESTAMPTZ
) RETURNS BIGINT
LANGUAGE plpgsql AS
$$
DECLARE
    default_partition TEXT;
    key_column        TEXT;
    in_range          TEXT;
    moved             BIGINT;
    reference         RECORD;
    referencing       REGCLASS[] := '{}';
BEGIN
    PERFORM pg_advisory_xact_lock(hsi_partition_lock());
    IF to_regclass(partition) IS NOT NULL THEN
        RETURN NULL;
    END IF;

    SELECT d.relname, a.attname INTO default_partition, key_column
      FROM pg_partitioned_table p
      JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
      LEFT JOIN pg_class d ON d.oid = p.partdefid
     WHERE p.partrelid = parent::regclass;

    moved := 0;
    IF default_partition IS NOT NULL THEN
        in_range := format('%I >= %L AND %I < %L', key_column, range_from, key_column, range_to);
        EXECUTE format('CREATE TEMP TABLE hsi_moving ON COMMIT DROP AS SELECT * FROM %I WHERE %s',
                       default_partition, in_range);
        EXECUTE 'SELECT count(*) FROM hsi_moving' INTO moved;
    END IF;

    IF moved > 0 THEN
        FOR reference IN
            SELECT c.conrelid::regclass AS referencing_table,
                   (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord)
                      FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS referencing_columns,
                   (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord)
                      FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS referenced_columns
              FROM pg_constraint c
             WHERE c.contype = 'f' AND c.confrelid = parent::regclass AND c.conparentid = 0
        LOOP
            referencing := referencing || reference.referencing_table;
            EXECUTE format('CREATE TEMP TABLE %I ON COMMIT DROP AS SELECT * FROM %s WHERE (%s) IN (SELECT %s FROM hsi_moving)',
                           'hsi_referencing_' || cardinality(referencing), reference.referencing_table,
                           reference.referencing_columns, reference.referenced_columns);
            EXECUTE format('DELETE FROM %s WHERE (%s) IN (SELECT %s FROM hsi_moving)',
                           reference.referencing_table, reference.referencing_columns, reference.referenced_columns);
        END LOOP;
        EXECUTE format('DELETE FROM %I WHERE %s', default_partition, in_range);
    END IF;

    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                   partition, parent, range_from, range_to);

    IF moved > 0 THEN
        PERFORM hsi_insert_all(parent::regclass, 'hsi_moving');
        FOR i IN 1..cardinality(referencing) LOOP
            PERFORM hsi_insert_all(referencing[i], 'hsi_referencing_' || i);
            EXECUTE format('DROP TABLE %I', 'hsi_referencing_' || i);
        END LOOP;
    END IF;
    IF default_partition IS NOT NULL THEN
        EXECUTE 'DROP TABLE hsi_moving';
    END IF;
    RETURN moved;
END;
$$;

-- Detaches the partition <partition> from <parent> and drops it, in the caller's transaction. Rows of other tables
-- that reference it by foreign key must be deleted first (PostgreSQL refuses the detach otherwise): retention does
-- so in the same transaction, and counts them. The default partition is never dropped.
CREATE FUNCTION hsi_drop_partition(parent TEXT, partition TEXT) RETURNS VOID
LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_advisory_xact_lock(hsi_partition_lock());
    IF EXISTS (SELECT 1 FROM pg_partitioned_table
                WHERE partrelid = parent::regclass AND partdefid = partition::regclass) THEN
        RAISE EXCEPTION 'refusing to drop %, the default partition of %', partition, parent;
    END IF;
    EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', parent, partition);
    EXECUTE format('DROP TABLE %I', partition);
END;
$$;
