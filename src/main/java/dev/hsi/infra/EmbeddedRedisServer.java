package dev.hsi.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * Redis as a child process, with its append-only file, pid file and log under its data directory. The binary
 * comes from the embedded-redis library; the process is run here rather than by that library, because the library
 * stops Redis from a JVM shutdown hook of its own (racing the graceful shutdown, which still needs Redis to hand
 * jobs back) and never drains the server's output. Blocking; used by the composition root and fault tests.
 */
public final class EmbeddedRedisServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String PONG = "+PONG";

    private final Path dataDir;
    private final int port;
    private final Path executable;
    private Process process;

    private EmbeddedRedisServer(Path dataDir, int port, Path executable) {
        this.dataDir = dataDir;
        this.port = port;
        this.executable = executable;
    }

    /** Stops a Redis a killed HSI left on {@code dataDir}, then starts one on a free port. */
    public static EmbeddedRedisServer start(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            StaleProcesses.stopRedis(dataDir, dataDir.resolve("redis.pid"));
            Path executable = ExecutableProvider.newJarResourceProvider().get().toPath();
            EmbeddedRedisServer server = new EmbeddedRedisServer(dataDir, EmbeddedServers.freePort(), executable);
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Embedded Redis failed to start in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** Starts the server (again) on its port, loading whatever its append-only file holds. */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        long started = System.nanoTime();
        Path config = dataDir.resolve("redis.conf");
        Files.writeString(config, String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "daemonize no",
                "dir " + dataDir.toAbsolutePath(),
                "pidfile " + dataDir.resolve("redis.pid").toAbsolutePath(),
                "logfile \"\"",
                "appendonly yes",
                "appendfsync everysec",
                "save \"\"",
                ""));
        process = new ProcessBuilder(executable.toString(), config.toString())
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("redis.log").toFile()))
                .start();
        awaitPong();
        LOG.info("Embedded Redis started on port {} with its append-only file in {} ({} ms)",
                port, dataDir, (System.nanoTime() - started) / 1_000_000);
    }

    /** Shuts the server down (SIGTERM: Redis writes its append-only file out and exits). */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("Embedded Redis did not stop within {} s: killing it", STOP_TIMEOUT.toSeconds());
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Embedded Redis on port {} stopped", port);
    }

    /** Deletes what Redis keeps on disk (while stopped): a restart then serves an empty Redis. For fault tests. */
    public synchronized void wipeData() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("stop Redis before wiping its data");
        }
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("appendonly") || name.endsWith(".rdb")) {
                    deleteTree(file);
                }
            }
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitPong() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with status " + process.exitValue() + ": see "
                        + dataDir.resolve("redis.log"));
            }
            if (answersPing()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for Redis", e);
            }
        }
        process.destroyForcibly();
        throw new IOException("Redis did not answer PING within " + START_TIMEOUT.toSeconds() + " s");
    }

    /** True once the server answers PING with PONG (while it loads its file it answers -LOADING). */
    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[PONG.length()];
            int read = in.readNBytes(reply, 0, reply.length);
            return read == reply.length && new String(reply, StandardCharsets.US_ASCII).equals(PONG);
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            try (Stream<Path> children = Files.list(path)) {
                for (Path child : children.toList()) {
                    deleteTree(child);
                }
            }
        }
        Files.deleteIfExists(path);
    }
}
