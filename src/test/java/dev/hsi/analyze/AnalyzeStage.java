package dev.hsi.analyze;

import dev.hsi.bus.AnalysisJob;
import dev.hsi.bus.RecordCodec;
import dev.hsi.bus.RedisKeys;
import dev.hsi.config.AnalysisConfig;
import dev.hsi.config.BaselineConfig;
import dev.hsi.config.LlmConfig;
import dev.hsi.config.LlmConfig.Api;
import dev.hsi.config.QueueConfig;
import dev.hsi.infra.EmbeddedPostgresServer;
import dev.hsi.infra.EmbeddedServers;
import dev.hsi.infra.Migrations;
import dev.hsi.metrics.StageTimings;
import dev.hsi.queue.QueueBoard;
import dev.hsi.resilience.CircuitBreakers;
import dev.hsi.support.Db;
import dev.hsi.support.Eventually;
import io.vertx.core.DeploymentOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * The analyze stage on its own, on real (embedded) PostgreSQL and Redis: batches go in as jobs on
 * {@code analysis_queue}, exactly as the aggregate stage pushes them, and come out as events in PostgreSQL.
 */
final class AnalyzeStage implements AutoCloseable {

    static final ZoneId UTC = ZoneId.of("UTC");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final EmbeddedPostgresServer postgres;
    private final RedisServer redisServer;
    private final Vertx vertx = Vertx.vertx();
    private final Pool pool;
    private final String redisUrl;
    private Redis queueClient;
    private final RedisAPI redis;
    private final Jedis jedis;
    final Db db;
    private String deployment;

    AnalyzeStage(Path dir) {
        postgres = EmbeddedPostgresServer.start(dir.resolve("pg"));
        Migrations.migrate(postgres.endpoint());
        redisServer = EmbeddedServers.startRedis(dir.resolve("redis"));
        RecordCodec.install(vertx.eventBus().getDelegate());
        pool = Pool.newInstance(PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
                .connectingTo(postgres.endpoint().connectOptions()).using(vertx.getDelegate()).build());
        String url = EmbeddedServers.redisUrl(redisServer);
        redisUrl = url;
        redis = RedisAPI.api(Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(4)));
        jedis = new Jedis("127.0.0.1", redisServer.ports().get(0));
        db = new Db(postgres.endpoint());
    }

    /** Deploys the analyze stage with this configuration; the previous deployment goes. */
    void deploy(AnalysisConfig config, CircuitBreakers breakers) {
        undeploy();
        // a client of its own per deployment: closing it ends the queue loop's blocking claim with the stage
        queueClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl).setMaxPoolSize(4));
        deployment = vertx.deployVerticleAndAwait(new AnalyzeVerticle(config, pool, queueClient, redis, QueueConfig.DEFAULTS,
                "security_events", UTC, new StageTimings(), breakers), new DeploymentOptions());
    }

    /** Deploys the analyze stage without an LLM: the rules judge, against the default baselines. */
    void deployRulesOnly() {
        LlmConfig rulesOnly = new LlmConfig(Optional.empty(), Api.COMPLETION, "nemotron", LlmConfig.NEMOTRON,
                Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofMillis(10));
        deploy(new AnalysisConfig(rulesOnly, BaselineConfig.defaults()), breakers());
    }

    CircuitBreakers breakers() {
        return CircuitBreakers.withDefaults(vertx);
    }

    Vertx vertx() {
        return vertx;
    }

    void undeploy() {
        if (deployment != null) {
            // as the server stops: the queue loop lets go of its claim first, so no job lands in a stopped stage
            QueueBoard.of(vertx).drainAll(Duration.ofSeconds(5)).await().atMost(Duration.ofSeconds(10));
            vertx.undeployAndAwait(deployment);
            queueClient.close();
            deployment = null;
        }
    }

    void camera(String id, String name) {
        db.rows("INSERT INTO cameras (id, name, folder_path) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                id, name, "/foscam/" + name);
    }

    void zone(String id, String cameraId, String name, String zoneType) {
        db.rows("INSERT INTO zones (id, camera_id, name, zone_type, coordinates) VALUES (?, ?, ?, ?, "
                + "'[[0,0],[1,0],[1,1],[0,1]]'::jsonb) RETURNING id", id, cameraId, name, zoneType);
    }

    /** A stored detection; {@code zoneIds} as the zone stage records them. */
    long detection(String cameraId, String type, double confidence, Instant at, String... zoneIds) {
        List<Map<String, Object>> rows = db.rows("INSERT INTO detections (camera_id, file_path, detected_at,"
                        + " object_type, confidence, zone_ids) VALUES (?, ?, ?, ?, ?, ?::text[]) RETURNING id",
                cameraId, "/foscam/" + cameraId + "/" + at.toEpochMilli() + "-" + type + ".jpg", Timestamp.from(at),
                type, confidence, "{" + String.join(",", zoneIds) + "}");
        return ((Number) rows.get(0).get("id")).longValue();
    }

    void submit(String batchId, String cameraId, List<Long> detectionIds) {
        jedis.rpush(RedisKeys.ANALYSIS_QUEUE,
                new AnalysisJob(batchId, cameraId, detectionIds, Instant.now(), false).toJson().encode());
    }

    /** The batch's event row, once written. */
    Map<String, Object> awaitEvent(String batchId) {
        return Eventually.await(WAIT, "the event of batch " + batchId, () -> {
            List<Map<String, Object>> rows = db.rows("SELECT * FROM events WHERE batch_id = ?", batchId);
            return rows.isEmpty() ? null : rows.get(0);
        });
    }

    long events(String batchId) {
        return db.count("SELECT count(*) FROM events WHERE batch_id = ?", batchId);
    }

    @Override
    public void close() throws Exception {
        undeploy();
        jedis.close();
        vertx.closeAndAwait();
        redisServer.stop();
        postgres.close();
    }
}
