package dev.hsi.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.support.Db;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migrations build every table of seed 002, partitioned where time rules, on a real PostgreSQL 17. */
class SchemaTest {

    @TempDir
    static Path dataDir;
    static EmbeddedPostgresServer postgres;
    static Db db;

    @BeforeAll
    static void migrate() {
        postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"));
        Migrations.migrate(postgres.endpoint());
        db = new Db(postgres.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void everySeedTableExists() {
        for (String table : List.of("cameras", "detections", "events", "event_detections", "alerts", "alert_rules",
                "zones", "activity_baselines", "class_baselines", "audit_logs", "gpu_stats", "logs", "api_keys",
                "entities", "prompt_configs", "prompt_versions", "scene_changes", "user_calibrations")) {
            assertThat(db.count("SELECT count(*) FROM pg_tables WHERE tablename = ?", table))
                    .as(table).isEqualTo(1);
        }
    }

    @Test
    void timeSeriesTablesArePartitionedWithADefaultPartitionAndPartitionsAhead() {
        for (String table : List.of("detections", "events", "logs", "audit_logs", "gpu_stats")) {
            assertThat(db.count("SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
                    + " WHERE c.relname = ? AND p.partstrat = 'r'", table)).as(table).isEqualTo(1);
            assertThat(db.count("SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                    + " WHERE i.inhparent = ?::regclass AND c.relname = ?", table, table + "_default"))
                    .as(table + " default partition").isEqualTo(1);
            assertThat(db.count("SELECT count(*) FROM pg_inherits WHERE inhparent = ?::regclass", table))
                    .as(table + " partitions").isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void entitiesPrimaryDetectionIdHasNoForeignKeyButAnIndex() {
        assertThat(db.count("SELECT count(*) FROM pg_constraint WHERE conrelid = 'entities'::regclass"
                + " AND contype = 'f'")).isZero();
        assertThat(db.count("SELECT count(*) FROM pg_indexes WHERE tablename = 'entities'"
                + " AND indexdef LIKE '%(primary_detection_id)%'")).isEqualTo(1);
    }

    @Test
    void alertsReferenceTheirEventByItsFullKey() {
        assertThat(db.count("SELECT count(*) FROM pg_constraint WHERE conrelid = 'alerts'::regclass"
                + " AND contype = 'f' AND confrelid = 'events'::regclass")).isEqualTo(1);
    }
}
