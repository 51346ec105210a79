package dev.hsi.support;

import dev.hsi.infra.PgEndpoint;
import dev.hsi.infra.StaleProcesses;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HSI as a separate JVM ({@code dev.hsi.app.Main} on this test's class path), so that a test can kill it with
 * {@code kill -9} ({@link #kill()}) or stop it with SIGTERM ({@link #terminate()}). Its output, and that of its
 * embedded servers, goes to a log file beside the data directory.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern POSTGRES_PORT = Pattern.compile("Embedded PostgreSQL started on port (\\d+)");
    private static final Pattern REDIS_PORT = Pattern.compile("Embedded Redis started on port (\\d+)");

    private final Path dataDir;
    private final Process process;
    private final Path log;
    private final int apiPort;
    private final int ftpPort;

    private ServerProcess(Path dataDir, Process process, Path log, int apiPort, int ftpPort) {
        this.dataDir = dataDir;
        this.process = process;
        this.log = log;
        this.apiPort = apiPort;
        this.ftpPort = ftpPort;
    }

    /** Starts HSI on {@code dataDir} with {@link TestEnv#pipeline} plus {@code extraEnv}; returns once it is up. */
    public static ServerProcess start(Path dataDir, Map<String, String> extraEnv) throws IOException {
        int apiPort = freePort();
        int ftpPort = freePort();
        Map<String, String> env = new HashMap<>(TestEnv.pipeline(dataDir));
        env.put("API_PORT", String.valueOf(apiPort));
        env.put("FTP_PORT", String.valueOf(ftpPort));
        env.putAll(extraEnv);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // ONNX Runtime needs a big stack when the command line (the class path) is long
                "-Xss4m", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"),
                "dev.hsi.app.Main"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        int logged = Files.exists(log) ? Files.readString(log).length() : 0;
        ServerProcess server = new ServerProcess(dataDir, builder.start(), log, apiPort, ftpPort);
        server.awaitUp(logged);
        return server;
    }

    /** Up: /health answers and the log, past what earlier processes wrote, says so. */
    private void awaitUp(int logOffset) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("HSI exited with " + process.exitValue() + " while starting:\n" + logTail());
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + apiPort + "/health")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                String text = logText();
                if (response.statusCode() == 200 && text.length() > logOffset
                        && text.substring(logOffset).contains("HSI is up")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        throw new IllegalStateException("HSI did not start within " + START_TIMEOUT.toSeconds() + " s:\n" + logTail());
    }

    public int apiPort() {
        return apiPort;
    }

    public int ftpPort() {
        return ftpPort;
    }

    public long pid() {
        return process.pid();
    }

    /** The embedded PostgreSQL this process started last (read from its log). */
    public PgEndpoint database() {
        return new PgEndpoint("127.0.0.1", lastPort(POSTGRES_PORT), "postgres", "postgres", "postgres");
    }

    /** The port of the embedded Redis this process started last (read from its log). */
    public int redisPort() {
        return lastPort(REDIS_PORT);
    }

    /** {@code kill -9}: the JVM dies at once; its embedded servers keep running. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM; returns the exit status. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("HSI did not exit within " + timeout.toSeconds() + " s of SIGTERM:\n" + logTail());
        }
        return process.exitValue();
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    public String logTail() {
        String text = logText();
        return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
    }

    /** Stops the process if it still runs, and any embedded server a killed process left on its data directory. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        stopLeftovers(dataDir);
    }

    /** Copies the servers' log of {@code dataDir} to {@code target/fault-logs/<name>.log}, to read after the run. */
    public static void keepLog(Path dataDir, String name) throws IOException {
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
        if (Files.exists(log)) {
            Path kept = Path.of("target", "fault-logs", name + ".log");
            Files.createDirectories(kept.getParent());
            Files.copy(log, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Stops embedded servers a killed HSI left running on {@code dataDir}. */
    public static void stopLeftovers(Path dataDir) {
        StaleProcesses.stopPostgres(dataDir.resolve("postgres"));
        StaleProcesses.stopRedis(dataDir.resolve("redis"), dataDir.resolve("redis").resolve("redis.pid"));
    }

    private int lastPort(Pattern pattern) {
        Matcher matcher = pattern.matcher(logText());
        int port = -1;
        while (matcher.find()) {
            port = Integer.parseInt(matcher.group(1));
        }
        if (port < 0) {
            throw new IllegalStateException("no " + pattern + " in the log");
        }
        return port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
