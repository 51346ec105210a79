package dev.hsi.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hsi.support.Db;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** V025/V026 on a database that already holds events, as an upgrade meets it, on a real PostgreSQL 17. */
class AlertEvaluationMigrationTest {

    @TempDir
    static Path dataDir;
    static EmbeddedPostgresServer postgres;
    static Db db;

    @BeforeAll
    /** Schema before the alert migrations (V009: the last before V025 on this branch), an event, then the rest. */
    static void upgrade() {
        postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"));
        PgEndpoint endpoint = postgres.endpoint();
        Flyway.configure().dataSource(endpoint.jdbcUrl(), endpoint.user(), endpoint.password())
                .locations("classpath:db/migration").target("9").load().migrate();
        db = new Db(endpoint);
        db.update("INSERT INTO cameras (id, name, folder_path) VALUES ('yard', 'Yard', '/foscam/Yard')");
        db.update("INSERT INTO events (batch_id, camera_id, started_at) VALUES ('before', 'yard', now())");
        Migrations.migrate(endpoint);
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    @DisplayName("Events from before the upgrade count as evaluated (no alert storm); new events wait for evaluation")
    void onlyNewEventsWaitForAlertEvaluation() {
        db.update("INSERT INTO events (batch_id, camera_id, started_at) VALUES ('after', 'yard', now())");
        assertThat(db.rows("SELECT batch_id, alerts_evaluated FROM events ORDER BY id"))
                .extracting(row -> row.get("batch_id") + "=" + row.get("alerts_evaluated"))
                .containsExactly("before=true", "after=false");
    }

    @Test
    @DisplayName("An event gets at most one alert per rule")
    void oneAlertPerEventAndRule() {
        db.update("INSERT INTO alert_rules (id, name) VALUES ('00000000-0000-0000-0000-000000000001', 'r')");
        String insert = "INSERT INTO alerts (id, event_id, event_started_at, rule_id, dedup_key)"
                + " SELECT ?::uuid, id, started_at, '00000000-0000-0000-0000-000000000001', 'k' FROM events"
                + " WHERE batch_id = 'before'";
        db.update(insert, "00000000-0000-0000-0000-0000000000a1");
        assertThatThrownBy(() -> db.update(insert, "00000000-0000-0000-0000-0000000000a2"))
                .hasMessageContaining("alerts_event_rule_key");
    }
}
