package dev.hsi.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * PostgreSQL 17 and Redis run as child processes when no external server is configured, each keeping its
 * data under DATA_DIR so that a restart serves everything stored before. Servers a killed HSI left running on the
 * same directories are shut down first ({@link StaleProcesses}), so a start after {@code kill -9} never fails on
 * their locks, ports or files. Blocking: used by the composition root only, before any verticle runs.
 */
public final class EmbeddedServers {

    private EmbeddedServers() {
    }

    public static EmbeddedPostgresServer startPostgres(Path dataDir) {
        return EmbeddedPostgresServer.start(dataDir);
    }

    /** Redis with its append-only file on, so queued jobs and open batches survive a restart. */
    public static EmbeddedRedisServer startRedisServer(Path dataDir) {
        return EmbeddedRedisServer.start(dataDir);
    }

    /**
     * A bare Redis from the embedded-redis library, for component tests that need nothing else: it is stopped by
     * the library's own shutdown hook and has no stale-process handling, so the server itself does not use it.
     */
    public static RedisServer startRedis(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            RedisServer redis = RedisServer.newRedisServer()
                    .port(freePort())
                    .bind("127.0.0.1")
                    .setting("appendonly yes")
                    .setting("appendfsync everysec")
                    .setting("dir " + dataDir.toAbsolutePath())
                    .build();
            redis.start();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded Redis failed to start in " + dataDir, e);
        }
    }

    public static String redisUrl(RedisServer redis) {
        return "redis://127.0.0.1:" + redis.ports().get(0);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
