package dev.hsi.app;

import dev.hsi.aggregate.AggregateVerticle;
import dev.hsi.alerts.AlertVerticle;
import dev.hsi.analyze.AnalyzeVerticle;
import dev.hsi.api.ApiVerticle;
import dev.hsi.bus.RecordCodec;
import dev.hsi.bus.RedisKeys;
import dev.hsi.config.AppConfig;
import dev.hsi.detect.DetectVerticle;
import dev.hsi.detect.Detector;
import dev.hsi.detect.backend.DetectorRegistry;
import dev.hsi.infra.EmbeddedPostgresServer;
import dev.hsi.infra.EmbeddedRedisServer;
import dev.hsi.infra.EmbeddedServers;
import dev.hsi.infra.Migrations;
import dev.hsi.infra.PartitionKeeper;
import dev.hsi.infra.PgEndpoint;
import dev.hsi.infra.StaleProcesses;
import dev.hsi.ingest.IngestVerticle;
import dev.hsi.logging.ServerLogging;
import dev.hsi.media.DecodedImages;
import dev.hsi.media.ThumbnailWriter;
import dev.hsi.metrics.StageTimings;
import dev.hsi.resilience.CircuitBreakers;
import dev.hsi.queue.QueueBoard;
import dev.hsi.queue.QueueReaper;
import dev.hsi.recovery.HealthProbe;
import dev.hsi.recovery.Reconciler;
import dev.hsi.retention.RetentionVerticle;
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
import java.nio.channels.FileLock;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: configuration → embedded servers (unless external ones are configured) → schema →
 * pools and clients → codecs → verticles in dependency order, one log line each, then reconciliation.
 * {@link #close()} undoes it all gracefully: intake stops first, jobs in hand finish or go back to their queue
 * within {@code SHUTDOWN_TIMEOUT_SECONDS}, then the stages, the clients and the embedded servers stop.
 */
public final class HsiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HsiServer.class);
    private static final Duration PARTITION_CHECK = Duration.ofDays(1);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(15);

    private final AppConfig config;
    private final StageTimings timings = new StageTimings();
    /** Deployment ids in the order deployed; undeployed in reverse. */
    private final List<String> deployments = new ArrayList<>();
    private ServerLogging logging;
    private FileLock dataDirLock;
    private EmbeddedPostgresServer embeddedPostgres;
    private EmbeddedRedisServer embeddedRedis;
    private Detector detector;
    private Vertx vertx;
    private PgEndpoint database;
    private PartitionKeeper partitions;
    private String redisUrl;
    private ApiVerticle api;
    private IngestVerticle ingest;
    private String reconcilerDeployment;
    private boolean closed;

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
        // first, so that the log file holds the whole start; lines reach table logs once the pool exists
        logging = ServerLogging.install(config.logging());
        if (config.storage().databaseUrl().isEmpty() || config.storage().redisUrl().isEmpty()) {
            // whoever holds it may stop embedded servers a killed HSI left running on this DATA_DIR
            dataDirLock = StaleProcesses.lockOwner(config.storage().dataDir());
        }
        database = config.storage().databaseUrl().map(PgEndpoint::fromUrl).orElseGet(this::startEmbeddedPostgres);
        redisUrl = config.storage().redisUrl().orElseGet(this::startEmbeddedRedis);
        Migrations.migrate(database);
        partitions = new PartitionKeeper(database, Clock.systemUTC());
        keepPartitionsAhead();

        detector = loadDetector();
        vertx = Vertx.vertx();
        RecordCodec.install(vertx.eventBus().getDelegate());
        Pool pool = Pool.newInstance(PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(16))
                .connectingTo(database.connectOptions())
                .using(vertx.getDelegate())
                .build());
        Redis shared = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(redisUrl).setMaxPoolSize(32).setMaxPoolWaiting(4096));
        RedisAPI redis = RedisAPI.api(shared);
        // each queue loop holds a connection of its own for its blocking BLMOVE: they come from a separate client,
        // so that however many loops run, the shared pool stays free for everything else
        int queueLoops = 2 * config.detect().workers() + 1;
        Redis redisClient = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(redisUrl).setMaxPoolSize(queueLoops + 2).setMaxPoolWaiting(64));
        // the detect stage's writes get a pool of their own that plans each statement once per connection instead of
        // at every upload (docs/performance.md, "Partitioned tables"; decision 0009)
        Pool writerPool = Pool.newInstance(PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(queueLoops))
                .connectingTo(database.genericPlanConnectOptions())
                .using(vertx.getDelegate())
                .build());
        CircuitBreakers breakers = CircuitBreakers.withDefaults(vertx);
        vertx.setPeriodic(PARTITION_CHECK.toMillis(), id -> vertx.executeBlocking(() -> {
            keepPartitionsAhead();
            return null;
        }).subscribe().with(done -> { }, failure -> { }));
        HealthProbe health = new HealthProbe(pool, redis);
        QueueBoard.of(vertx).useProbe(health::down);

        // first deployed, last undeployed: the stages' shutdown lines still reach table logs
        logging.databaseWriter(pool).ifPresent(writer -> deploy("log writer", writer));
        // before the API, which hands it cleanup requests
        deploy("retention", new RetentionVerticle(config.retention(), config.detect().media().thumbnailDir(),
                config.ingest().basePath(), pool, Clock.system(ZoneId.systemDefault())));
        api = new ApiVerticle(config.api(), config.queue(), new ThumbnailWriter(config.detect().media()), pool, redis,
                timings, breakers);
        deploy("api", api);
        // before the stages: jobs that earlier runs or dead consumers left in processing lists go back first
        deploy("reaper", new QueueReaper(redis, List.of(RedisKeys.DETECTION_QUEUE, RedisKeys.ANALYSIS_QUEUE),
                config.queue(), embeddedRedis != null));
        deploy("alerts", new AlertVerticle(config.notification(), pool, breakers, timings));
        deploy("analyze", new AnalyzeVerticle(config.analysis(), pool, redisClient, redis, config.queue(),
                config.storage().eventChannel(), ZoneId.systemDefault(), timings, breakers));
        deploy("aggregate", new AggregateVerticle(config.batch(), redis));
        // pictures decoded at ingest go to the detect stage in memory, so that each upload is decoded once
        DecodedImages decodedImages = new DecodedImages(config.detect().media().decodedImageCacheBytes());
        deploy("detect", new DetectVerticle(config.detect(), config.queue(), detector, writerPool, redisClient, redis,
                timings, breakers, decodedImages));
        ingest = new IngestVerticle(config.ingest(), config.queue(), pool, redis, timings, decodedImages);
        deploy("ingest", ingest);
        reconcilerDeployment = deploy("recovery", new Reconciler(config.recovery(), config.ingest(), config.batch(),
                config.queue(), pool, redis, health, ingest::requeue, IngestVerticle::accepts));
        LOG.info("HSI is up in {} ms: dashboard http://localhost:{}/ , FTP port {}, uploads under {}",
                (System.nanoTime() - started) / 1_000_000, apiPort(), ftpPort(), config.ingest().basePath());
    }

    /**
     * Partitions of every time-partitioned table up to the end of the second month ahead; re-checked daily, so a
     * server that runs for months never writes into a default partition. A failure is logged, never fatal: rows
     * then land in the default partition, and move out once their partition is created.
     */
    private void keepPartitionsAhead() {
        try {
            partitions.ensureAhead();
        } catch (RuntimeException e) {
            LOG.error("Could not create partitions ahead (rows go to the default partition meanwhile): {}",
                    e.getMessage());
        }
    }

    private PgEndpoint startEmbeddedPostgres() {
        embeddedPostgres = EmbeddedServers.startPostgres(config.storage().postgresDir());
        return embeddedPostgres.endpoint();
    }

    private String startEmbeddedRedis() {
        embeddedRedis = EmbeddedServers.startRedisServer(config.storage().redisDir());
        return embeddedRedis.url();
    }

    private Detector loadDetector() {
        try {
            return DetectorRegistry.create(config.detect());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot load the detector: " + e.getMessage(), e);
        }
    }

    private String deploy(String name, AbstractVerticle verticle) {
        long started = System.nanoTime();
        String id = vertx.deployVerticleAndAwait(verticle,
                new DeploymentOptions().setThreadingModel(ThreadingModel.EVENT_LOOP));
        deployments.add(id);
        LOG.info("Deployed {} verticle ({} ms)", name, (System.nanoTime() - started) / 1_000_000);
        return id;
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

    /** The embedded PostgreSQL, when no DATABASE_URL is set (fault tests stop and start it). */
    public Optional<EmbeddedPostgresServer> embeddedPostgres() {
        return Optional.ofNullable(embeddedPostgres);
    }

    /** The embedded Redis, when no REDIS_URL is set (fault tests stop, wipe and start it). */
    public Optional<EmbeddedRedisServer> embeddedRedis() {
        return Optional.ofNullable(embeddedRedis);
    }

    /**
     * Graceful stop, in order: intake (FTP, watcher) and reconciliation; then the queue consumers, whose jobs in
     * hand finish or are handed back within the shutdown timeout; then the stages in reverse order, Vert.x, the
     * detector and the embedded servers (Redis writes out its append-only file). Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        if (vertx != null) {
            stopPipeline();
        }
        closeQuietly("the detector", detector);
        closeQuietly("embedded Redis", embeddedRedis);
        closeQuietly("embedded PostgreSQL", embeddedPostgres);
        if (dataDirLock != null) {
            StaleProcesses.unlock(dataDirLock);
        }
        LOG.info("HSI stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
        if (logging != null) {
            logging.close();
        }
    }

    private void stopPipeline() {
        Duration deadline = config.recovery().shutdownTimeout();
        step("stopping intake", () -> {
            if (ingest != null) {
                ingest.stopIntake().await().atMost(STEP_TIMEOUT);
            }
            if (reconcilerDeployment != null) {
                vertx.undeployAndAwait(reconcilerDeployment);
                deployments.remove(reconcilerDeployment);
            }
        });
        step("finishing jobs in hand", () -> QueueBoard.of(vertx).drainAll(deadline).await()
                .atMost(deadline.plus(STEP_TIMEOUT)));
        for (int i = deployments.size() - 1; i >= 0; i--) {
            String deployment = deployments.get(i);
            step("stopping a stage", () -> vertx.undeployAndAwait(deployment));
        }
        step("closing Vert.x", vertx::closeAndAwait);
    }

    private static void step(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("Error while shutting down ({}): {}", what, e.getMessage());
        }
    }

    private static void closeQuietly(String what, AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("Error while shutting down {}: {}", what, e.getMessage());
        }
    }
}
