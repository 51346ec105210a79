package dev.hsi.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * PostgreSQL 17 and Redis run as child processes when no external server is configured, each keeping its
 * data under DATA_DIR so that a restart serves everything stored before. Blocking: used by the composition
 * root only, before any verticle runs.
 */
public final class EmbeddedServers {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServers.class);

    private EmbeddedServers() {
    }

    public static EmbeddedPostgres startPostgres(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            long started = System.nanoTime();
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("timezone", "UTC")
                    .start();
            LOG.info("Embedded PostgreSQL started on port {} with data in {} ({} ms)",
                    postgres.getPort(), dataDir, (System.nanoTime() - started) / 1_000_000);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL failed to start in " + dataDir, e);
        }
    }

    public static PgEndpoint endpoint(EmbeddedPostgres postgres) {
        return new PgEndpoint("127.0.0.1", postgres.getPort(), "postgres", "postgres", "postgres");
    }

    /** Redis with its append-only file on, so queued jobs and open batches survive a restart. */
    public static RedisServer startRedis(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            int port = freePort();
            RedisServer redis = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("appendonly yes")
                    .setting("appendfsync everysec")
                    .setting("dir " + dataDir.toAbsolutePath())
                    .build();
            redis.start();
            LOG.info("Embedded Redis started on port {} with its append-only file in {}", port, dataDir);
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded Redis failed to start in " + dataDir, e);
        }
    }

    public static String redisUrl(RedisServer redis) {
        return "redis://127.0.0.1:" + redis.ports().get(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
