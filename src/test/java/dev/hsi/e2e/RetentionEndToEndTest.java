package dev.hsi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.app.HsiServer;
import dev.hsi.infra.PartitionKeeper;
import dev.hsi.infra.PartitionRange;
import dev.hsi.support.Api;
import dev.hsi.support.Db;
import dev.hsi.support.Eventually;
import dev.hsi.support.TestEnv;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole server, driven over HTTP: the entities API refuses a missing primary detection with the seed's
 * message; {@code POST /api/system/cleanup} dry-runs, refuses a second run while one runs, then deletes what the
 * dry run reported; {@code /api/system/stats} and {@code /api/metrics} show the orphaned references.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetentionEndToEndTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String MISSING = "Detection with id=987654321 does not exist."
            + " Cannot set as primary_detection_id for Entity.";

    @TempDir
    static Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HsiServer server;
    private Api api;
    private Db db;
    private Instant old;
    private long oldDetection;
    private long recentDetection;

    @BeforeAll
    void startServer() throws IOException {
        server = HsiServer.start(TestEnv.config(TestEnv.pipeline(dataDir)));
        api = new Api(server.apiPort());
        db = new Db(server.database());
        Instant now = Instant.now();
        // the partitions of the past months, as a server that ran then would have made them
        new PartitionKeeper(server.database(), Clock.fixed(now.minus(Duration.ofDays(100)), ZoneOffset.UTC))
                .ensureAhead();
        old = now.minus(Duration.ofDays(75));
        db.update("INSERT INTO cameras (id, name, folder_path) VALUES ('porch', 'Porch', '/nowhere/porch')");
        oldDetection = detectionWithThumbnail(old);
        recentDetection = detectionWithThumbnail(now.minus(Duration.ofDays(5)));
        long oldEvent = eventOf(oldDetection, old);
        eventOf(recentDetection, now.minus(Duration.ofDays(5)));
        db.update("INSERT INTO logs (level, component, message, event_id) VALUES ('INFO', 'test', 'old event', ?)",
                oldEvent);
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("The entities API refuses a primary detection that does not exist with the seed's message (400) and an unknown entity with 404")
    void entitiesApiValidatesThePrimaryDetection() {
        HttpResponse<String> missing = send("POST", "/api/entities", "{\"primary_detection_id\": 987654321}");
        HttpResponse<String> created = send("POST", "/api/entities",
                "{\"entity_type\": \"person\", \"primary_detection_id\": " + recentDetection + "}");
        String id = new JsonObject(created.body()).getString("id");
        HttpResponse<String> patchedToMissing = send("PATCH", "/api/entities/" + id,
                "{\"primary_detection_id\": 987654321}");
        HttpResponse<String> badType = send("PATCH", "/api/entities/" + id, "{\"entity_type\": \"ghost\"}");
        HttpResponse<String> unknown = send("PATCH", "/api/entities/" + UUID.randomUUID(), "{\"trust_status\": \"trusted\"}");

        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(missing.body()).getString("detail")).isEqualTo(MISSING);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(new JsonObject(created.body()).getLong("primary_detection_id")).isEqualTo(recentDetection);
        assertThat(patchedToMissing.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(patchedToMissing.body()).getString("detail")).isEqualTo(MISSING);
        assertThat(api.json("/api/entities/" + id).getLong("primary_detection_id")).isEqualTo(recentDetection);
        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(badType.body()).getString("detail")).startsWith("entity_type must be one of");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(db.count("SELECT count(*) FROM entities WHERE primary_detection_id = 987654321")).isZero();
    }

    @Test
    @Order(2)
    @DisplayName("POST /api/system/cleanup: the dry run reports what the real run deletes, a second run meanwhile is refused with 409, and the orphan count shows in stats and metrics")
    void cleanupOverHttp() throws Exception {
        String entity = new JsonObject(send("POST", "/api/entities",
                "{\"primary_detection_id\": " + oldDetection + "}").body()).getString("id");
        JsonObject before = api.json("/api/system/stats");
        assertThat(before.fieldNames()).contains("total_cameras", "total_events", "total_detections",
                "uptime_seconds", "orphaned_references");
        assertThat(before.getLong("total_detections")).isEqualTo(2);
        assertThat(before.getLong("orphaned_references")).isZero();

        HttpResponse<String> dry = send("POST", "/api/system/cleanup?dry_run=true", "");
        JsonObject dryRun = new JsonObject(dry.body());
        assertThat(dry.statusCode()).isEqualTo(200);
        assertThat(dryRun.getBoolean("dry_run")).isTrue();
        assertThat(dryRun.getLong("detections_deleted")).isEqualTo(1);
        assertThat(dryRun.getLong("events_deleted")).isEqualTo(1);
        assertThat(dryRun.getLong("thumbnails_deleted")).isEqualTo(1);
        assertThat(dryRun.getInteger("retention_days")).isEqualTo(30);
        assertThat(dryRun.fieldNames()).contains("gpu_stats_deleted", "logs_deleted", "images_deleted",
                "space_reclaimed", "timestamp");

        JsonObject real;
        try (Connection holder = DriverManager.getConnection(server.database().jdbcUrl(), server.database().user(),
                server.database().password()); Statement lock = holder.createStatement()) {
            lock.execute("SELECT pg_advisory_lock(hsi_partition_lock())");
            CompletableFuture<HttpResponse<String>> first = sendAsync("/api/system/cleanup?dry_run=false");
            Eventually.await(TIMEOUT, "the cleanup waiting for the partition lock", () -> db.count(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") > 0);

            HttpResponse<String> second = send("POST", "/api/system/cleanup?dry_run=false", "");

            assertThat(second.statusCode()).isEqualTo(409);
            assertThat(new JsonObject(second.body()).getString("detail")).contains("already running");
            lock.execute("SELECT pg_advisory_unlock(hsi_partition_lock())");
            HttpResponse<String> done = first.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(done.statusCode()).isEqualTo(200);
            real = new JsonObject(done.body());
        }

        assertThat(real.getBoolean("dry_run")).isFalse();
        assertThat(comparable(real)).isEqualTo(comparable(dryRun));
        String oldMonth = PartitionRange.month("detections", YearMonth.from(old.atOffset(ZoneOffset.UTC))).name();
        assertThat(db.count("SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'detections'::regclass AND c.relname = ?", oldMonth)).isZero();
        assertThat(real.getJsonArray("partitions_dropped").getList()).contains(oldMonth);
        assertThat(thumbnail(oldDetection)).doesNotExist();
        assertThat(thumbnail(recentDetection)).exists();
        assertThat(api.json("/api/entities/" + entity).getValue("primary_detection_id")).isNull();
        JsonObject after = api.json("/api/system/stats");
        assertThat(after.getLong("total_detections")).isEqualTo(1);
        assertThat(after.getLong("orphaned_references")).isZero();
        String metrics = api.get("/api/metrics").body();
        assertThat(metrics).contains("hsi_orphaned_references{reference=\"entities.primary_detection_id\"} 1")
                .contains("hsi_orphaned_references{reference=\"logs.event_id\"} 1")
                .contains("hsi_retention_rows_deleted_total{table=\"detections\"} 1");
    }

    private static JsonObject comparable(JsonObject report) {
        JsonObject copy = report.copy();
        copy.remove("dry_run");
        copy.remove("timestamp");
        return copy;
    }

    private long detectionWithThumbnail(Instant at) throws IOException {
        Path thumbnails = server.config().detect().media().thumbnailDir();
        long id = db.count("INSERT INTO detections (camera_id, file_path, detected_at, object_type)"
                + " VALUES ('porch', '/nowhere/porch/x.jpg', ?, 'person') RETURNING id", utc(at));
        Path thumbnail = thumbnails.resolve(id + "_thumb.jpg");
        Files.createDirectories(thumbnails);
        Files.write(thumbnail, new byte[2048]);
        db.update("UPDATE detections SET thumbnail_path = ? WHERE id = ?", thumbnail.toString(), id);
        return id;
    }

    private long eventOf(long detection, Instant at) {
        long event = db.count("INSERT INTO events (batch_id, camera_id, started_at) VALUES (?, 'porch', ?)"
                + " RETURNING id", "b-" + detection, utc(at));
        db.update("INSERT INTO event_detections (event_id, event_started_at, detection_id, detection_detected_at)"
                + " VALUES (?, ?, ?, ?)", event, utc(at), detection, utc(at));
        return event;
    }

    private Path thumbnail(long detection) {
        return server.config().detect().media().thumbnailDir().resolve(detection + "_thumb.jpg");
    }

    private HttpResponse<String> send(String method, String path, String body) {
        try {
            return http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(String path) {
        return http.sendAsync(request("POST", path, ""), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + path))
                .timeout(TIMEOUT)
                .header("content-type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
