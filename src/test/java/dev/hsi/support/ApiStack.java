package dev.hsi.support;

import dev.hsi.api.ApiVerticle;
import dev.hsi.config.AppConfig;
import dev.hsi.infra.EmbeddedServers;
import dev.hsi.infra.PgEndpoint;
import dev.hsi.media.ThumbnailWriter;
import dev.hsi.metrics.StageTimings;
import dev.hsi.resilience.CircuitBreakers;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * The real HTTP API (ApiVerticle, with every route and its failure handling) on a real, migrated PostgreSQL 17 and a
 * real Redis, without the pipeline stages: for API tests whose rows are written straight into the database.
 */
public final class ApiStack implements AutoCloseable {

    private final MigratedPostgres postgres;
    private final RedisServer redis;
    private final Vertx vertx;
    private final ApiVerticle verticle;

    private ApiStack(MigratedPostgres postgres, RedisServer redis, Vertx vertx, ApiVerticle verticle) {
        this.postgres = postgres;
        this.redis = redis;
        this.vertx = vertx;
        this.verticle = verticle;
    }

    /** Blocking: returns once the API listens on a free port. */
    public static ApiStack start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /** With {@code env} over the test defaults (API keys, for instance). */
    public static ApiStack start(Path dataDir, Map<String, String> env) {
        Map<String, String> settings = TestEnv.pipeline(dataDir);
        settings.putAll(env);
        AppConfig config = TestEnv.config(settings);
        Vertx vertx = Vertx.vertx();
        MigratedPostgres postgres = MigratedPostgres.start(dataDir.resolve("postgres"), vertx);
        RedisServer redis = EmbeddedServers.startRedis(dataDir.resolve("redis"));
        RedisAPI redisApi = RedisAPI.api(Redis.createClient(vertx,
                new RedisOptions().setConnectionString(EmbeddedServers.redisUrl(redis))));
        ApiVerticle verticle = new ApiVerticle(config.api(), config.queue(), new ThumbnailWriter(config.detect().media()),
                postgres.pool(), redisApi, new StageTimings(), CircuitBreakers.withDefaults(vertx));
        vertx.deployVerticleAndAwait(verticle);
        return new ApiStack(postgres, redis, vertx, verticle);
    }

    public Api api() {
        return new Api(verticle.port());
    }

    public Db db() {
        return postgres.db();
    }

    public PgEndpoint endpoint() {
        return postgres.endpoint();
    }

    /** The reactive pool the API reads through. */
    public Pool pool() {
        return postgres.pool();
    }

    @Override
    public void close() {
        postgres.close();
        vertx.closeAndAwait();
        try {
            redis.stop();
        } catch (IOException e) {
            throw new IllegalStateException("Stopping the embedded Redis failed: " + e.getMessage(), e);
        }
    }
}
