package dev.hsi.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.support.Db;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * events.search_vector on a database that already held events when the search migrations arrived: the backfill
 * fills it, the trigger keeps it, on existing partitions and on partitions created later, and the GIN index exists.
 */
class SearchVectorMigrationTest {

    @TempDir
    static Path dataDir;
    static EmbeddedPostgresServer postgres;
    static Db db;
    static long oldEvent;

    @BeforeAll
    static void migrateAroundExistingEvents() {
        postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"));
        PgEndpoint endpoint = postgres.endpoint();
        // the schema as it was before full-text search (V009), with an event in it
        Flyway.configure().dataSource(endpoint.jdbcUrl(), endpoint.user(), endpoint.password())
                .locations("classpath:db/migration").target("9").load().migrate();
        db = new Db(endpoint);
        db.update("INSERT INTO cameras (id, name, folder_path) VALUES ('garage', 'Garage', '/g')");
        oldEvent = (Long) db.rows("INSERT INTO events (batch_id, camera_id, started_at, summary, reasoning,"
                + " object_types) VALUES ('b1', 'garage', now(), 'Raccoon near the bins', 'Animal at night',"
                + " 'raccoon') RETURNING id").get(0).get("id");
        Migrations.migrate(endpoint);
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    @DisplayName("Events stored before the migration are found by words of their summary, reasoning, types and camera")
    void existingEventsAreBackfilled() {
        for (String word : new String[] {"raccoon", "bins", "animal", "garage"}) {
            assertThat(db.count("SELECT count(*) FROM events WHERE id = ? AND search_vector @@ to_tsquery('english', ?)",
                    oldEvent, word)).as(word).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("A partition created after the migration gets the trigger too")
    void laterPartitionsGetTheTrigger() {
        db.rows("SELECT hsi_create_monthly_partitions('events', 0, '2031-05-01')");
        long future = (Long) db.rows("INSERT INTO events (batch_id, camera_id, started_at, summary) VALUES ('b2',"
                + " 'garage', ?, 'Parcel on the step') RETURNING id", OffsetDateTime.parse("2031-05-02T10:00:00Z"))
                .get(0).get("id");

        assertThat(db.rows("SELECT tableoid::regclass::text AS part FROM events WHERE id = ?", future).get(0)
                .get("part")).isEqualTo("events_y2031m05");
        assertThat(db.count("SELECT count(*) FROM events WHERE id = ? AND search_vector @@ to_tsquery('english',"
                + " 'parcel & garage')", future)).isEqualTo(1);
    }

    @Test
    @DisplayName("search_vector has the original's GIN index")
    void ginIndex() {
        assertThat(db.count("SELECT count(*) FROM pg_indexes WHERE tablename = 'events'"
                + " AND indexname = 'idx_events_search_vector' AND indexdef LIKE '%USING gin (search_vector)%'"))
                .isEqualTo(1);
    }
}
