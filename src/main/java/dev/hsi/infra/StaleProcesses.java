package dev.hsi.infra;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Servers that a killed HSI left running on its DATA_DIR. The embedded PostgreSQL and Redis are child processes;
 * a {@code kill -9} of the JVM leaves them running, holding the data directory, its lock files and the append-only
 * file. Before a new start they are found (PostgreSQL by its {@code postmaster.pid}, Redis by its pid file and by
 * its working directory, which Redis sets to its data directory) and shut down the way each server expects, so
 * that their data is flushed; only a server that does not stop in time is killed.
 *
 * <p>A live HSI on the same DATA_DIR holds the directory's owner lock; then nothing is touched and the start fails
 * with a clear message.
 */
public final class StaleProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(StaleProcesses.class);
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(30);
    private static final Duration FORCED_STOP = Duration.ofSeconds(10);

    private StaleProcesses() {
    }

    /**
     * The owner lock of a DATA_DIR, held for as long as an HSI process serves its embedded servers from it (the
     * operating system releases it when the process dies, however it dies). Whoever holds it may stop servers
     * left running on that directory: they cannot belong to a live HSI.
     */
    public static FileLock lockOwner(Path directory) {
        try {
            Files.createDirectories(directory);
            RandomAccessFile file = new RandomAccessFile(directory.resolve("hsi.lock").toFile(), "rw");
            FileLock lock;
            try {
                lock = file.getChannel().tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                file.close();
                throw new IllegalStateException("DATA_DIR " + directory
                        + " is in use by another running HSI: stop it first, or give this one another DATA_DIR");
            }
            return lock;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot lock " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Releases an owner lock and closes its file. */
    public static void unlock(FileLock lock) {
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException e) {
            LOG.debug("Releasing {} failed: {}", lock, e.getMessage());
        }
    }

    /** Stops a PostgreSQL postmaster left running on {@code dataDir} (fast shutdown: a checkpoint, no waiting). */
    public static void stopPostgres(Path dataDir) {
        Optional<ProcessHandle> postmaster = pidFromFile(dataDir.resolve("postmaster.pid"))
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(process -> commandContains(process, "postgres"))
                .filter(process -> worksIn(process, dataDir));
        if (postmaster.isEmpty()) {
            return;
        }
        ProcessHandle process = postmaster.get();
        LOG.warn("PostgreSQL (pid {}) is still running on {}, left by an HSI process that ended without stopping it:"
                + " shutting it down", process.pid(), dataDir);
        List<ProcessHandle> backends = process.descendants().toList();
        Optional<Path> pgCtl = process.info().command().map(command -> Path.of(command).resolveSibling("pg_ctl"));
        if (pgCtl.isPresent() && Files.isExecutable(pgCtl.get())) {
            run(asPostgresUser(List.of(pgCtl.get().toString(), "stop", "-D", dataDir.toString(), "-m", "fast", "-w",
                    "-t", String.valueOf(GRACEFUL_STOP.toSeconds()))));
        }
        if (!awaitExit(process, Duration.ofSeconds(1))) {
            process.destroyForcibly();
            awaitExit(process, FORCED_STOP);
        }
        // a killed postmaster's backends notice its death and exit; the next one must not find them attached
        backends.forEach(backend -> awaitExit(backend, FORCED_STOP));
    }

    /**
     * PostgreSQL's tools refuse to run as root; as zonky does, they then run in a user namespace of their own
     * ({@code unshare -U}), where they are not root.
     */
    static List<String> asPostgresUser(List<String> command) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return command;
        }
        List<String> unshared = new ArrayList<>(List.of("unshare", "-U"));
        unshared.addAll(command);
        return unshared;
    }

    /** Stops Redis servers left running on {@code dataDir}: SIGTERM makes Redis flush its append-only file. */
    public static void stopRedis(Path dataDir, Path pidFile) {
        Set<ProcessHandle> stale = new LinkedHashSet<>();
        pidFromFile(pidFile).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(process -> commandContains(process, "redis-server"))
                .filter(process -> worksIn(process, dataDir))
                .ifPresent(stale::add);
        stale.addAll(processesWorkingIn(dataDir, "redis-server"));
        for (ProcessHandle process : stale) {
            LOG.warn("Redis (pid {}) is still running on {}, left by an HSI process that ended without stopping it:"
                    + " shutting it down", process.pid(), dataDir);
            process.destroy();
            if (!awaitExit(process, GRACEFUL_STOP)) {
                process.destroyForcibly();
                awaitExit(process, FORCED_STOP);
            }
        }
    }

    /** Processes whose command contains {@code name} and whose working directory is {@code directory} (Linux). */
    static List<ProcessHandle> processesWorkingIn(Path directory, String name) {
        Path wanted;
        try {
            wanted = directory.toRealPath();
        } catch (IOException e) {
            return List.of();
        }
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.filter(process -> process.pid() != ProcessHandle.current().pid())
                    .filter(process -> commandContains(process, name))
                    .filter(process -> workingDirectory(process).map(wanted::equals).orElse(false))
                    .forEach(found::add);
        }
        return found;
    }

    /**
     * PostgreSQL and Redis change into their data directory: a pid from a pid file whose process works elsewhere
     * was reused by another program. Where /proc cannot tell, the command name alone decides.
     */
    private static boolean worksIn(ProcessHandle process, Path directory) {
        Optional<Path> workingDirectory = workingDirectory(process);
        if (workingDirectory.isEmpty()) {
            return true;
        }
        try {
            return workingDirectory.get().equals(directory.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Path> workingDirectory(ProcessHandle process) {
        try {
            return Optional.of(Path.of("/proc", String.valueOf(process.pid()), "cwd").toRealPath());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static boolean isZombie(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            // "pid (command) state ...": the command may hold spaces and parentheses, the state follows the last ')'
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean commandContains(ProcessHandle process, String name) {
        return process.info().command().map(command -> Path.of(command).getFileName().toString().contains(name))
                .orElse(false);
    }

    private static Optional<Long> pidFromFile(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            try (Stream<String> lines = Files.lines(pidFile)) {
                return lines.findFirst().map(String::trim).filter(line -> line.matches("\\d+")).map(Long::valueOf);
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Polls: for a process that is not our child, {@code onExit()} only notices the exit after seconds. A zombie
     * (exited, not yet reaped by an init that reaps slowly, as in some containers) counts as gone.
     */
    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive() && !isZombie(process)) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !process.isAlive();
            }
        }
        return true;
    }

    /** Runs a command to its end; false (with its output logged) when it failed or did not end in time. */
    static boolean run(List<String> command) {
        try {
            Path output = Files.createTempFile("hsi-command", ".log");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                boolean ended = process.waitFor(GRACEFUL_STOP.toSeconds() + 5, TimeUnit.SECONDS);
                if (!ended) {
                    process.destroyForcibly();
                }
                if (!ended || process.exitValue() != 0) {
                    LOG.warn("{} failed: {}", String.join(" ", command), Files.readString(output).strip());
                    return false;
                }
                return true;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            LOG.warn("{} failed: {}", command.get(0), e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
