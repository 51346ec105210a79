package dev.hsi.app;

import dev.hsi.aggregate.AggregateVerticle;
import dev.hsi.analyze.AnalyzeVerticle;
import dev.hsi.api.ApiVerticle;
import dev.hsi.bus.RecordCodec;
import dev.hsi.config.AppConfig;
import dev.hsi.detect.DetectVerticle;
import dev.hsi.detect.Detector;
import dev.hsi.detect.backend.DetectorRegistry;
import dev.hsi.infra.EmbeddedServers;
import dev.hsi.infra.Migrations;
import dev.hsi.infra.PartitionKeeper;
import dev.hsi.infra.PgEndpoint;
import dev.hsi.ingest.IngestVerticle;
import dev.hsi.media.ThumbnailWriter;
import dev.hsi.metrics.StageTimings;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The composition root: configuration → embedded servers (unless external ones are configured) → schema →
 * pools and clients → codecs → verticles in dependency order, one log line each. {@link #close()} undoes it all.
 */
public final class HsiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HsiServer.class);

    private final AppConfig config;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final StageTimings timings = new StageTimings();
    private Vertx vertx;
    private PgEndpoint database;
    private String redisUrl;
    private ApiVerticle api;
    private IngestVerticle ingest;

    private HsiServer(AppConfig config) {
        this.config = config;
    }

    /** Blocking: returns once every verticle listens and consumes. */
    public static HsiServer start(AppConfig config) {
        HsiServer server = new HsiServer(config);
        try {
            server.startAll();
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    private void startAll() {
        long started = System.nanoTime();
        database = config.storage().databaseUrl().map(PgEndpoint::fromUrl).orElseGet(this::embeddedPostgres);
        redisUrl = config.storage().redisUrl().orElseGet(this::embeddedRedis);
        Migrations.migrate(database);
        PartitionKeeper.ensureMonthsAhead(database);

        Detector detector = loadDetector();
        vertx = Vertx.vertx();
        resources.add(0, this::stopVertx);
        RecordCodec.install(vertx.eventBus().getDelegate());
        Pool pool = Pool.newInstance(PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(16))
                .connectingTo(database.connectOptions())
                .using(vertx.getDelegate())
                .build());
        Redis redisClient = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(redisUrl).setMaxPoolSize(32).setMaxPoolWaiting(4096));
        RedisAPI redis = RedisAPI.api(redisClient);

        api = new ApiVerticle(config.api(), new ThumbnailWriter(config.detect().media()), pool, redis, timings);
        deploy("api", api);
        deploy("analyze", new AnalyzeVerticle(pool, redisClient, redis, config.storage().eventChannel(),
                ZoneId.systemDefault(), timings));
        deploy("aggregate", new AggregateVerticle(config.batch(), redis));
        deploy("detect", new DetectVerticle(config.detect(), detector, pool, redisClient, redis, timings));
        ingest = new IngestVerticle(config.ingest(), pool, redis, timings);
        deploy("ingest", ingest);
        LOG.info("HSI is up in {} ms: dashboard http://localhost:{}/ , FTP port {}, uploads under {}",
                (System.nanoTime() - started) / 1_000_000, apiPort(), ftpPort(), config.ingest().basePath());
    }

    private PgEndpoint embeddedPostgres() {
        EmbeddedPostgres postgres = EmbeddedServers.startPostgres(config.storage().postgresDir());
        resources.add(0, postgres);
        return EmbeddedServers.endpoint(postgres);
    }

    private String embeddedRedis() {
        RedisServer redis = EmbeddedServers.startRedis(config.storage().redisDir());
        resources.add(0, redis::stop);
        return EmbeddedServers.redisUrl(redis);
    }

    private Detector loadDetector() {
        try {
            Detector detector = DetectorRegistry.create(config.detect());
            resources.add(0, detector);
            return detector;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot load the detector: " + e.getMessage(), e);
        }
    }

    private void deploy(String name, AbstractVerticle verticle) {
        long started = System.nanoTime();
        vertx.deployVerticleAndAwait(verticle, new DeploymentOptions().setThreadingModel(ThreadingModel.EVENT_LOOP));
        LOG.info("Deployed {} verticle ({} ms)", name, (System.nanoTime() - started) / 1_000_000);
    }

    /** Verticles stop first (consumers stop claiming, servers stop listening), then the clients they used. */
    private void stopVertx() {
        for (String deployment : List.copyOf(vertx.deploymentIDs())) {
            vertx.undeployAndAwait(deployment);
        }
        vertx.closeAndAwait();
    }

    public int apiPort() {
        return api.port();
    }

    public int ftpPort() {
        return ingest.ftpPort();
    }

    public PgEndpoint database() {
        return database;
    }

    public String redisUrl() {
        return redisUrl;
    }

    public AppConfig config() {
        return config;
    }

    public StageTimings timings() {
        return timings;
    }

    /** Stops verticles first, then clients, then the embedded servers (the reverse of start). */
    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Error while shutting down: {}", e.getMessage());
            }
        }
        resources.clear();
    }
}
