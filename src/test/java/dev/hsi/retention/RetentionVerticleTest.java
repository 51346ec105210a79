package dev.hsi.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.bus.Addresses;
import dev.hsi.bus.CleanupReport;
import dev.hsi.bus.CleanupRequest;
import dev.hsi.bus.OrphanedReferences;
import dev.hsi.bus.RecordCodec;
import dev.hsi.config.RetentionConfig;
import dev.hsi.infra.EmbeddedPostgresServer;
import dev.hsi.infra.Migrations;
import dev.hsi.infra.PartitionKeeper;
import dev.hsi.metrics.Gauges;
import dev.hsi.support.Db;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention stage on a real PostgreSQL 17 with a simulated clock: ninety days of data (RetentionData), a dry
 * run, then the real run, asked for over the event bus as the API asks.
 */
class RetentionVerticleTest {

    private static final Instant NOW = Instant.parse("2030-06-15T12:00:00Z");
    private static final Instant DATA_CUTOFF = NOW.minus(Duration.ofDays(30));
    private static final Instant LOG_CUTOFF = NOW.minus(Duration.ofDays(7));
    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    static Path dataDir;
    static EmbeddedPostgresServer postgres;
    static Db db;
    static Vertx vertx;
    static Pool pool;
    private Path thumbnails;
    private Path images;
    private RetentionData data;
    private String deployment;

    @BeforeAll
    static void start() {
        postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"));
        Migrations.migrate(postgres.endpoint());
        db = new Db(postgres.endpoint());
        vertx = Vertx.vertx();
        RecordCodec.install(vertx.eventBus().getDelegate());
        pool = Pool.newInstance(PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
                .connectingTo(postgres.endpoint().connectOptions()).using(vertx.getDelegate()).build());
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.closeAndAwait();
        postgres.close();
    }

    @BeforeEach
    void freshData() throws IOException {
        db.update("TRUNCATE cameras, detections, events, event_detections, alerts, gpu_stats, logs, audit_logs,"
                + " processed_uploads, entities CASCADE");
        new PartitionKeeper(postgres.endpoint(), Clock.fixed(NOW.minus(Duration.ofDays(100)), ZoneOffset.UTC))
                .ensureAhead();
        new PartitionKeeper(postgres.endpoint(), Clock.fixed(NOW, ZoneOffset.UTC)).ensureAhead();
        Path run = Files.createTempDirectory(dataDir, "run");
        thumbnails = run.resolve("thumbnails");
        images = run.resolve("foscam");
        data = new RetentionData(db, thumbnails, images, NOW);
        data.write();
    }

    @AfterEach
    void undeploy() {
        if (deployment != null) {
            vertx.undeployAndAwait(deployment);
        }
    }

    private void deploy(boolean deleteImages) {
        RetentionConfig config = new RetentionConfig(30, 7, LocalTime.of(3, 0), deleteImages);
        deployment = vertx.deployVerticleAndAwait(new RetentionVerticle(config, thumbnails, images, pool,
                Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    private static CleanupReport cleanup(boolean dryRun) {
        return vertx.eventBus().<CleanupReport>request(Addresses.RUN_CLEANUP, new CleanupRequest(dryRun))
                .await().atMost(WAIT).body();
    }

    private static OrphanedReferences orphans() {
        return vertx.eventBus().<OrphanedReferences>request(Addresses.COUNT_ORPHANED_REFERENCES, null)
                .await().atMost(WAIT).body();
    }

    @Test
    @DisplayName("A dry run reports exactly what the real run then deletes: whole old partitions dropped, the straddling one row by row, thumbnails with their detections")
    void dryRunMatchesRealRun() {
        deploy(false);
        long keptDetections = db.count("SELECT count(*) FROM detections WHERE detected_at >= ?", utc(DATA_CUTOFF));
        long oldDetection = data.detectionOfDay(45);
        long keptDetection = data.detectionOfDay(29);

        CleanupReport dry = cleanup(true);

        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.detectionsDeleted()).as("days 30-89 twice, and the one in the default partition")
                .isEqualTo(121);
        assertThat(dry.eventsDeleted()).isEqualTo(60);
        assertThat(dry.alertsDeleted()).isEqualTo(60);
        assertThat(dry.eventDetectionsDeleted()).isEqualTo(120);
        assertThat(dry.gpuStatsDeleted()).isEqualTo(241);
        assertThat(dry.logsDeleted()).as("days 7-89, three a day").isEqualTo(249);
        assertThat(dry.auditLogsDeleted()).isEqualTo(83);
        assertThat(dry.processedUploadsDeleted()).isEqualTo(60);
        assertThat(dry.thumbnailsDeleted()).isEqualTo(121);
        assertThat(dry.imagesDeleted()).as("CLEANUP_DELETE_IMAGES is off").isZero();
        assertThat(dry.spaceReclaimed()).isGreaterThan(121L * RetentionData.BYTES_PER_FILE);
        assertThat(dry.partitionsDropped()).contains("detections_y2030m03", "detections_y2030m04",
                "events_y2030m04", "logs_y2030m05", "audit_logs_y2030m05", "gpu_stats_w20300506")
                .doesNotContain("detections_y2030m05", "logs_y2030m06", "gpu_stats_w20300513");
        assertThat(db.count("SELECT count(*) FROM detections")).as("a dry run deletes nothing")
                .isEqualTo(keptDetections + 121);
        assertThat(data.thumbnailOf(oldDetection)).exists();

        CleanupReport real = cleanup(false);

        assertThat(real.dryRun()).isFalse();
        assertThat(withoutDryRun(real)).isEqualTo(withoutDryRun(dry));
        assertThat(droppedPartitionsLeft(DATA_CUTOFF, "detections", "events", "gpu_stats")).isEmpty();
        assertThat(droppedPartitionsLeft(LOG_CUTOFF, "logs", "audit_logs")).isEmpty();
        assertThat(partitionNames()).contains("detections_y2030m05", "events_y2030m05", "gpu_stats_w20300513",
                "logs_y2030m06", "audit_logs_y2030m06", "detections_default");
        assertThat(db.count("SELECT count(*) FROM detections_y2030m05")).as("May 16 (12:00) to 31, twice a day")
                .isEqualTo(30);
        assertThat(db.count("SELECT count(*) FROM detections WHERE detected_at < ?", utc(DATA_CUTOFF))).isZero();
        assertThat(db.count("SELECT count(*) FROM detections")).isEqualTo(keptDetections);
        assertThat(db.count("SELECT count(*) FROM detections_default")).isZero();
        assertThat(db.count("SELECT count(*) FROM gpu_stats_w20300513 WHERE recorded_at < ?", utc(DATA_CUTOFF)))
                .isZero();
        assertThat(db.count("SELECT count(*) FROM gpu_stats_w20300513")).isPositive();
        assertThat(db.count("SELECT count(*) FROM logs")).isEqualTo(21);
        assertThat(db.count("SELECT count(*) FROM event_detections")).isEqualTo(60);
        assertThat(db.count("SELECT count(*) FROM alerts")).isEqualTo(30);
        assertThat(db.count("SELECT count(*) FROM processed_uploads")).isEqualTo(30);
        assertThat(data.thumbnailOf(oldDetection)).doesNotExist();
        assertThat(data.thumbnailOf(keptDetection)).exists();
        assertThat(data.imageOfDay(45)).as("original images stay by default").exists();
        assertThat(filesIn(thumbnails)).hasSize((int) keptDetections);

        CleanupReport again = cleanup(true);
        assertThat(again.detectionsDeleted() + again.eventsDeleted() + again.logsDeleted()
                + again.thumbnailsDeleted() + again.spaceReclaimed()).as("nothing left to delete").isZero();
    }

    @Test
    @DisplayName("With CLEANUP_DELETE_IMAGES original images go too, but not one a newer detection still names")
    void imagesGoWhenConfigured() {
        long reuse = data.reuseImageOfDay(45, 5);
        deploy(true);

        CleanupReport dry = cleanup(true);
        CleanupReport real = cleanup(false);

        assertThat(dry.imagesDeleted()).as("60 day images but the reused one, the 200-day-old one, 60 empty uploads")
                .isEqualTo(120);
        assertThat(withoutDryRun(real)).isEqualTo(withoutDryRun(dry));
        assertThat(data.imageOfDay(44)).doesNotExist();
        assertThat(data.emptyImageOfDay(44)).doesNotExist();
        assertThat(data.imageOfDay(45)).as("named by detection " + reuse).exists();
        assertThat(data.imageOfDay(29)).exists();
        assertThat(data.emptyImageOfDay(29)).exists();
    }

    @Test
    @DisplayName("After the real run the orphan sweep nulls exactly the references retention left dangling, and the metric counted them first")
    void orphanSweepAfterRetention() {
        long oldDetection = data.detectionOfDay(45);
        long keptDetection = data.detectionOfDay(3);
        UUID orphanedByRetention = entity(oldDetection);
        UUID kept = entity(keptDetection);
        UUID alreadyOrphaned = entity(987_654_321L);
        UUID none = entity(null);
        db.update("INSERT INTO logs (timestamp, level, component, message, event_id, detection_id)"
                + " VALUES (?, 'INFO', 'test', 'about old rows', ?, ?)", utc(NOW.minusSeconds(60)), data.eventOfDay(40),
                data.detectionOfDay(40));
        db.update("INSERT INTO logs (timestamp, level, component, message, event_id, detection_id)"
                + " VALUES (?, 'INFO', 'test', 'about kept rows', ?, ?)", utc(NOW.minusSeconds(60)),
                data.eventOfDay(2), keptDetection);
        deploy(false);
        assertThat(orphans().byReference()).containsExactly(Map.entry("entities.primary_detection_id", 1L),
                Map.entry("logs.event_id", 0L), Map.entry("logs.detection_id", 0L));

        cleanup(false);

        Gauges gauges = Gauges.of(vertx);
        assertThat(gauges.value(OrphanSweep.FOUND, "entities.primary_detection_id")).isEqualTo(2);
        assertThat(gauges.value(OrphanSweep.FOUND, "logs.event_id")).isEqualTo(1);
        assertThat(gauges.value(OrphanSweep.FOUND, "logs.detection_id")).isEqualTo(1);
        assertThat(gauges.exposition()).contains("hsi_orphaned_references{reference=\"entities.primary_detection_id\"} 2");
        assertThat(primaryDetection(orphanedByRetention)).isNull();
        assertThat(primaryDetection(alreadyOrphaned)).isNull();
        assertThat(primaryDetection(kept)).isEqualTo(keptDetection);
        assertThat(primaryDetection(none)).isNull();
        assertThat(db.rows("SELECT message, event_id, detection_id FROM logs WHERE message LIKE 'about%'"
                + " ORDER BY message")).containsExactly(
                        Map.of("message", "about kept rows", "event_id", data.eventOfDay(2),
                                "detection_id", keptDetection),
                        nullReferences("about old rows"));
        assertThat(orphans().total()).isZero();
    }

    @Test
    @DisplayName("Every foreign key into a partitioned table is one retention deletes before dropping a partition")
    void everyForeignKeyIntoAPartitionedTableIsKnown() {
        Set<String> declared = Stream.of(RetainedTable.values())
                .flatMap(table -> table.references().stream()
                        .map(reference -> reference.referencingTable() + " -> " + table.tableName()))
                .collect(Collectors.toSet());
        List<String> actual = db.rows("SELECT c.conrelid::regclass::text || ' -> ' || c.confrelid::regclass::text AS fk"
                        + " FROM pg_constraint c JOIN pg_partitioned_table p ON p.partrelid = c.confrelid"
                        + " WHERE c.contype = 'f' AND c.conparentid = 0").stream()
                .map(row -> (String) row.get("fk")).toList();
        assertThat(actual).containsExactlyInAnyOrderElementsOf(declared);
    }

    private static Map<String, Object> nullReferences(String message) {
        Map<String, Object> row = new java.util.HashMap<>();
        row.put("message", message);
        row.put("event_id", null);
        row.put("detection_id", null);
        return row;
    }

    private static UUID entity(Long primaryDetection) {
        UUID id = UUID.randomUUID();
        db.update("INSERT INTO entities (id, primary_detection_id) VALUES (?, ?)", id, primaryDetection);
        return id;
    }

    private static Long primaryDetection(UUID entity) {
        return (Long) db.rows("SELECT primary_detection_id FROM entities WHERE id = ?", entity).get(0)
                .get("primary_detection_id");
    }

    private static JsonObject withoutDryRun(CleanupReport report) {
        JsonObject json = report.toJson();
        json.remove("dry_run");
        return json;
    }

    /** Partitions of these tables whose every row would be older than the cutoff: none may be left. */
    private static List<String> droppedPartitionsLeft(Instant cutoff, String... tables) {
        return db.rows("SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                        + " WHERE i.inhparent::regclass::text = ANY (?) AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'"
                        + " AND (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']*)''\\)'))[1]::timestamptz <= ?",
                        tables, utc(cutoff)).stream()
                .map(row -> (String) row.get("name")).toList();
    }

    private static List<String> partitionNames() {
        return db.rows("SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid").stream()
                .map(row -> (String) row.get("name")).toList();
    }

    private static List<Path> filesIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
