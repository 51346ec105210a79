package dev.hsi.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 17 as a child process (zonky's binaries and start-up), keeping its cluster under DATA_DIR. A server
 * left running by a killed HSI is shut down first. {@link #stop()} and {@link #start()} take the same server down
 * and up again on its port, with its data: the fault tests use them to simulate an outage. Blocking.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final Path pgCtl;
    private final List<String> serverOptions;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) throws IOException {
        this.postgres = postgres;
        this.dataDir = dataDir;
        // postmaster.opts holds the server's own command line: the binary, then its options
        String opts = Files.readString(dataDir.resolve("postmaster.opts")).strip();
        String binary = opts.split(" ", 2)[0];
        List<String> command = new ArrayList<>();
        Matcher quoted = QUOTED.matcher(opts.substring(binary.length()));
        while (quoted.find()) {
            command.add(quoted.group(1));
        }
        this.pgCtl = Path.of(binary).resolveSibling("pg_ctl");
        this.serverOptions = withoutDataDirectory(command);
    }

    /** Stops a PostgreSQL a killed HSI left on {@code dataDir}, then starts one on a free port. */
    public static EmbeddedPostgresServer start(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            StaleProcesses.stopPostgres(dataDir);
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
            return new EmbeddedPostgresServer(postgres, dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("Embedded PostgreSQL failed to start in " + dataDir + ": "
                    + e.getMessage(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public PgEndpoint endpoint() {
        return new PgEndpoint("127.0.0.1", port(), "postgres", "postgres", "postgres");
    }

    /** Fast shutdown (sessions are ended, a checkpoint is written); the data stays. */
    public synchronized void stop() {
        if (!StaleProcesses.run(StaleProcesses.asPostgresUser(
                List.of(pgCtl.toString(), "stop", "-D", dataDir.toString(), "-m", "fast", "-w")))) {
            throw new IllegalStateException("pg_ctl stop failed on " + dataDir);
        }
        LOG.info("Embedded PostgreSQL on port {} stopped", port());
    }

    /** Starts the server again after {@link #stop()}, on the same port with the same settings. */
    public synchronized void start() {
        List<String> command = List.of(pgCtl.toString(), "start", "-D", dataDir.toString(), "-w",
                "-l", dataDir.resolveSibling("postgres.log").toString(), "-o", shellQuoted(serverOptions));
        if (!StaleProcesses.run(StaleProcesses.asPostgresUser(command))) {
            throw new IllegalStateException("pg_ctl start failed on " + dataDir + ": see "
                    + dataDir.resolveSibling("postgres.log"));
        }
        LOG.info("Embedded PostgreSQL started again on port {}", port());
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    private static List<String> withoutDataDirectory(List<String> options) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).equals("-D")) {
                i++;
            } else {
                kept.add(options.get(i));
            }
        }
        return kept;
    }

    /** pg_ctl hands {@code -o} to a shell. */
    private static String shellQuoted(List<String> words) {
        return String.join(" ", words.stream().map(word -> "'" + word.replace("'", "'\\''") + "'").toList());
    }
}
