package dev.hsi.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.support.Db;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partition keeper on a real PostgreSQL 17, with a simulated clock: each test works in a year of its own, far
 * from the partitions the migrations made around the real date.
 */
class PartitionKeeperTest {

    @TempDir
    static Path dataDir;
    static EmbeddedPostgresServer postgres;
    static Db db;

    @BeforeAll
    static void migrate() {
        postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"));
        Migrations.migrate(postgres.endpoint());
        db = new Db(postgres.endpoint());
        db.update("INSERT INTO cameras (id, name, folder_path) VALUES ('front_door', 'Front Door', '/f/front_door')");
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private static List<PartitionKeeper.Created> keepAt(String instant) {
        return new PartitionKeeper(postgres.endpoint(), Clock.fixed(Instant.parse(instant), ZoneOffset.UTC))
                .ensureAhead();
    }

    private static boolean exists(String partition) {
        return db.count("SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE c.relname = ?", partition) == 1;
    }

    private static List<String> names(List<PartitionKeeper.Created> created) {
        return created.stream().map(c -> c.range().name()).toList();
    }

    @Test
    @DisplayName("Across a month boundary the partition two months ahead appears for every monthly table")
    void monthBoundary() {
        keepAt("2031-11-30T23:00:00Z");
        for (String table : List.of("detections", "events", "logs", "audit_logs")) {
            assertThat(exists(table + "_y2031m11")).as(table).isTrue();
            assertThat(exists(table + "_y2031m12")).as(table).isTrue();
            assertThat(exists(table + "_y2032m01")).as(table).isTrue();
            assertThat(exists(table + "_y2032m02")).as(table).isFalse();
        }

        List<PartitionKeeper.Created> created = keepAt("2031-12-01T00:30:00Z");

        assertThat(names(created)).contains("detections_y2032m02", "events_y2032m02", "logs_y2032m02",
                "audit_logs_y2032m02");
        assertThat(exists("detections_y2032m03")).isFalse();
        assertThat(keepAt("2031-12-01T00:30:00Z")).as("a second run the same day creates nothing").isEmpty();
    }

    @Test
    @DisplayName("Across a year boundary the new year's months and the weeks covering them appear")
    void yearBoundary() {
        keepAt("2032-12-31T23:59:59Z");
        assertThat(exists("detections_y2033m02")).isTrue();
        assertThat(exists("detections_y2033m03")).isFalse();
        assertThat(exists("gpu_stats_w20321227")).as("the week holding New Year's Eve").isTrue();
        assertThat(exists("gpu_stats_w20330221")).as("the week holding 2033-02-28").isTrue();
        assertThat(exists("gpu_stats_w20330307")).isFalse();

        List<PartitionKeeper.Created> created = keepAt("2033-01-01T00:00:01Z");

        assertThat(names(created)).contains("detections_y2033m03", "events_y2033m03", "logs_y2033m03",
                "audit_logs_y2033m03", "gpu_stats_w20330307", "gpu_stats_w20330328");
        assertThat(exists("gpu_stats_w20330404")).as("weeks stop where the horizon (2033-04-01) ends").isFalse();
        PartitionKeeper.Created march = created.stream()
                .filter(c -> c.range().name().equals("detections_y2033m03")).findFirst().orElseThrow();
        assertThat(march.range().from()).isEqualTo(Instant.parse("2033-03-01T00:00:00Z"));
        assertThat(march.range().to()).isEqualTo(Instant.parse("2033-04-01T00:00:00Z"));
    }

    @Test
    @DisplayName("Rows land in the partition of their UTC instant, whatever offset they were written with")
    void rowsLandInTheirPartition() {
        keepAt("2032-12-31T12:00:00Z");

        assertThat(partitionOfDetection("2032-12-31T23:59:59.999Z")).isEqualTo("detections_y2032m12");
        assertThat(partitionOfDetection("2033-01-01T00:00:00Z")).isEqualTo("detections_y2033m01");
        assertThat(partitionOfDetection("2033-01-31T22:00:00-05:00")).as("2033-02-01T03:00Z")
                .isEqualTo("detections_y2033m02");
        assertThat(partitionOfDetection("2033-01-01T01:00:00+02:00")).as("2032-12-31T23:00Z")
                .isEqualTo("detections_y2032m12");
        assertThat(partitionOf("gpu_stats", "recorded_at", "2033-01-02T23:59:59Z")).as("a Sunday")
                .isEqualTo("gpu_stats_w20321227");
        assertThat(partitionOf("gpu_stats", "recorded_at", "2033-01-03T00:00:00Z")).as("the next Monday")
                .isEqualTo("gpu_stats_w20330103");
        assertThat(partitionOf("logs", "timestamp", "2033-01-15T10:00:00Z")).isEqualTo("logs_y2033m01");
    }

    @Test
    @DisplayName("Rows written while their partition was missing move out of the default partition when it is made, with their links and alerts")
    void defaultPartitionRowsMoveIntoTheNewPartition() {
        keepAt("2034-05-10T08:00:00Z");
        String september = "2034-09-15T10:00:00Z";
        long first = insertDetection(september);
        long second = insertDetection(september);
        long later = insertDetection("2035-01-10T10:00:00Z");
        long event = db.count("INSERT INTO events (batch_id, camera_id, started_at) VALUES ('b-sep', 'front_door', ?)"
                + " RETURNING id", at(september));
        for (long detection : List.of(first, second)) {
            db.update("INSERT INTO event_detections (event_id, event_started_at, detection_id, detection_detected_at)"
                    + " VALUES (?, ?, ?, ?)", event, at(september), detection, at(september));
        }
        UUID alert = UUID.randomUUID();
        db.update("INSERT INTO alerts (id, event_id, event_started_at, dedup_key) VALUES (?, ?, ?, 'front_door:x')",
                alert, event, at(september));
        long log = db.count("INSERT INTO logs (timestamp, level, component, message, event_id)"
                + " VALUES (?, 'INFO', 'test', 'm', ?) RETURNING id", at(september), event);
        db.update("INSERT INTO audit_logs (timestamp, action, resource_type, actor) VALUES (?, 'x', 'event', 'me')",
                at(september));
        db.update("INSERT INTO gpu_stats (recorded_at, gpu_utilization) VALUES (?, 42.0)", at(september));
        assertThat(partitionOfRow("detections", first)).isEqualTo("detections_default");
        assertThat(partitionOfRow("events", event)).isEqualTo("events_default");

        List<PartitionKeeper.Created> created = keepAt("2034-07-01T00:00:00Z");

        assertThat(created).anySatisfy(c -> {
            assertThat(c.range().name()).isEqualTo("detections_y2034m09");
            assertThat(c.movedRows()).isEqualTo(2);
        });
        assertThat(partitionOfRow("detections", first)).isEqualTo("detections_y2034m09");
        assertThat(partitionOfRow("detections", second)).isEqualTo("detections_y2034m09");
        assertThat(partitionOfRow("detections", later)).as("outside the new range").isEqualTo("detections_default");
        assertThat(partitionOfRow("events", event)).isEqualTo("events_y2034m09");
        assertThat(partitionOfRow("logs", log)).isEqualTo("logs_y2034m09");
        assertThat(db.count("SELECT count(*) FROM audit_logs_y2034m09")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM gpu_stats_w20340911")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM detections_default WHERE detected_at < '2035-01-01'")).isZero();
        List<Map<String, Object>> links = db.rows("SELECT detection_id FROM event_detections WHERE event_id = ?"
                + " ORDER BY detection_id", event);
        assertThat(links).extracting(row -> row.get("detection_id")).containsExactly(first, second);
        assertThat(db.count("SELECT count(*) FROM alerts WHERE id = ? AND event_id = ?", alert, event)).isEqualTo(1);
    }

    @Test
    @DisplayName("Every partition key is a UTC timestamptz, and the keeper names partitions as the migrations do")
    void keysAreTimestamptzAndNamesMatchTheMigrations() {
        for (PartitionedTable table : PartitionedTable.values()) {
            assertThat(db.rows("SELECT data_type FROM information_schema.columns WHERE table_name = ?"
                    + " AND column_name = ?", table.tableName(), table.keyColumn()))
                    .extracting(row -> row.get("data_type")).as(table.tableName())
                    .containsExactly("timestamp with time zone");
        }
        Instant now = Instant.now();
        for (PartitionedTable table : List.of(PartitionedTable.DETECTIONS, PartitionedTable.EVENTS)) {
            for (PartitionRange range : table.rangesAhead(now, PartitionKeeper.MONTHS_AHEAD)) {
                assertThat(exists(range.name())).as("made by the migration: " + range).isTrue();
            }
        }
    }

    private static long insertDetection(String detectedAt) {
        return db.count("INSERT INTO detections (camera_id, file_path, detected_at, object_type)"
                + " VALUES ('front_door', '/f/x.jpg', ?, 'person') RETURNING id", at(detectedAt));
    }

    private static String partitionOfDetection(String detectedAt) {
        return partitionOfRow("detections", insertDetection(detectedAt));
    }

    private static String partitionOfRow(String table, long id) {
        return (String) db.rows("SELECT tableoid::regclass::text AS p FROM " + table + " WHERE id = ?", id)
                .get(0).get("p");
    }

    private static String partitionOf(String table, String column, String instant) {
        long id = db.count("INSERT INTO " + table + " (" + column + (table.equals("logs")
                ? ", level, component, message) VALUES (?, 'INFO', 'test', 'm')" : ") VALUES (?)")
                + " RETURNING id", at(instant));
        return partitionOfRow(table, id);
    }

    private static OffsetDateTime at(String instant) {
        return OffsetDateTime.parse(instant);
    }
}
