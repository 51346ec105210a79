package dev.hsi.support;

import dev.hsi.alerts.AlertVerticle;
import dev.hsi.api.ApiVerticle;
import dev.hsi.bus.Addresses;
import dev.hsi.bus.RecordCodec;
import dev.hsi.bus.SecurityEvent;
import dev.hsi.config.AppConfig;
import dev.hsi.infra.EmbeddedPostgresServer;
import dev.hsi.infra.EmbeddedServers;
import dev.hsi.infra.Migrations;
import dev.hsi.media.ThumbnailWriter;
import dev.hsi.metrics.StageTimings;
import dev.hsi.resilience.CircuitBreakers;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Arrays;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * The API and the alert stage, deployed as the server deploys them, on real (embedded) PostgreSQL and Redis. Events
 * are written into PostgreSQL as the analyze stage writes them and announced on the event bus as it announces them,
 * so the alert stage sees exactly what it sees in the whole server, with times the test chooses (night, day).
 */
public final class AlertStage implements AutoCloseable {

    /** A detection to put into an event. */
    public record Seen(String objectType, double confidence, String... zoneIds) {
    }

    private final EmbeddedPostgresServer postgres;
    private final RedisServer redisServer;
    private final Vertx vertx;
    private final Pool pool;
    private final AppConfig config;
    private final StageTimings timings = new StageTimings();
    private final CircuitBreakers breakers;
    private final ApiVerticle api;
    private String alertsDeployment;
    private final Db db;
    private int batches;

    public AlertStage(Path dir, Map<String, String> extraEnv) {
        postgres = EmbeddedPostgresServer.start(dir.resolve("pg"));
        Migrations.migrate(postgres.endpoint());
        redisServer = EmbeddedServers.startRedis(dir.resolve("redis"));
        Map<String, String> env = TestEnv.pipeline(dir.resolve("data"));
        env.putAll(extraEnv);
        config = TestEnv.config(env);
        vertx = Vertx.vertx();
        RecordCodec.install(vertx.eventBus().getDelegate());
        pool = Pool.newInstance(PgBuilder.pool().with(new PoolOptions().setMaxSize(8))
                .connectingTo(postgres.endpoint().connectOptions()).using(vertx.getDelegate()).build());
        RedisAPI redis = RedisAPI.api(Redis.createClient(vertx,
                new RedisOptions().setConnectionString(EmbeddedServers.redisUrl(redisServer))));
        breakers = CircuitBreakers.withDefaults(vertx);
        api = new ApiVerticle(config.api(), config.queue(), new ThumbnailWriter(config.detect().media()), pool, redis,
                timings, breakers);
        vertx.deployVerticleAndAwait(api);
        deployAlerts();
        db = new Db(postgres.endpoint());
    }

    /** The alert stage as a new deployment (its start-up catch-up and redelivery run again). */
    public void deployAlerts() {
        alertsDeployment = vertx.deployVerticleAndAwait(new AlertVerticle(config.notification(), pool, breakers,
                timings));
    }

    public void undeployAlerts() {
        vertx.undeployAndAwait(alertsDeployment);
    }

    public Api api() {
        return new Api(api.port());
    }

    public int apiPort() {
        return api.port();
    }

    public Db db() {
        return db;
    }

    public StageTimings timings() {
        return timings;
    }

    /** Empties every table the alert tests write. */
    public void clear() {
        db.update("TRUNCATE alerts, alert_rules, event_detections, events, detections, zones, cameras CASCADE");
    }

    public void camera(String id, String name) {
        db.update("INSERT INTO cameras (id, name, folder_path) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                id, name, "/foscam/" + name);
    }

    /** Writes an event with its detections (all at its start), unevaluated, as the analyze stage commits one. */
    public SecurityEvent event(String cameraId, Instant startedAt, int riskScore, Seen... seen) {
        String batchId = "batch-" + (++batches);
        List<Long> detectionIds = new ArrayList<>();
        for (int i = 0; i < seen.length; i++) {
            Seen s = seen[i];
            detectionIds.add(((Number) db.rows("INSERT INTO detections (camera_id, file_path, detected_at, object_type,"
                            + " confidence, bbox_x, bbox_y, bbox_width, bbox_height, zone_ids)"
                            + " VALUES (?, ?, ?, ?, ?, 10, 10, 50, 100, ?::text[]) RETURNING id",
                    cameraId, "/foscam/" + cameraId + "/" + batchId + "-" + i + ".jpg", Timestamp.from(startedAt),
                    s.objectType(), s.confidence(), "{" + String.join(",", s.zoneIds()) + "}").get(0).get("id"))
                    .longValue());
        }
        String level = riskScore >= 85 ? "critical" : riskScore >= 60 ? "high" : riskScore >= 30 ? "medium" : "low";
        long id = ((Number) db.rows("INSERT INTO events (batch_id, camera_id, started_at, ended_at, risk_score,"
                        + " risk_level, summary, reasoning) VALUES (?, ?, ?, ?, ?, ?, ?, 'test') RETURNING id",
                batchId, cameraId, Timestamp.from(startedAt), Timestamp.from(startedAt), riskScore, level,
                seen.length + " object(s) at " + cameraId).get(0).get("id")).longValue();
        for (Long detectionId : detectionIds) {
            db.update("INSERT INTO event_detections (event_id, event_started_at, detection_id, detection_detected_at)"
                    + " VALUES (?, ?, ?, ?)", id, Timestamp.from(startedAt), detectionId, Timestamp.from(startedAt));
        }
        List<String> objectTypes = Arrays.stream(seen).map(Seen::objectType).distinct().sorted().toList();
        List<String> zoneIds = Arrays.stream(seen).flatMap(s -> Arrays.stream(s.zoneIds())).distinct().sorted().toList();
        double maxConfidence = Arrays.stream(seen).mapToDouble(Seen::confidence).max().orElse(0);
        return new SecurityEvent(id, batchId, cameraId, riskScore, level, "test", "test", startedAt, startedAt, false,
                Instant.now(), "rules", Optional.empty(), objectTypes, zoneIds, maxConfidence);
    }

    /** Announces a committed event, as the analyze stage does. */
    public void announce(SecurityEvent event) {
        vertx.eventBus().publish(Addresses.EVENT_CREATED, event);
    }

    @Override
    public void close() {
        vertx.closeAndAwait();
        try {
            redisServer.stop();
            postgres.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
