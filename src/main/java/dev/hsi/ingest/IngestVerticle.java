package dev.hsi.ingest;

import dev.hsi.bus.RedisKeys;
import dev.hsi.config.IngestConfig;
import dev.hsi.metrics.StageTimings;
import dev.hsi.queue.WorkQueue;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.mutiny.core.WorkerExecutor;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage: the FTP server and the directory watcher feed finished uploads to the {@link Ingestor}, which
 * puts them on {@code detection_queue}. A file is ingested once even when both sources report it.
 */
public final class IngestVerticle extends AbstractVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(IngestVerticle.class);
    private static final int RECENT_FILES = 10_000;
    private static final String DEFAULT_ACCOUNT_WARNING =
            "FTP_USERS is not set: cameras log in as camera/camera. Set FTP_USERS=user:password,... before exposing"
                    + " port {} to your network.";

    private final IngestConfig config;
    private final Pool pool;
    private final RedisAPI redis;
    private final StageTimings timings;
    /** Path → size of files already ingested, so that the watcher does not report FTP uploads again. */
    private final Map<Path, Long> recentlyIngested = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Long> eldest) {
            return size() > RECENT_FILES;
        }
    };
    private Context context;
    private WorkerExecutor workers;
    private Ingestor ingestor;
    private FtpIngestServer ftp;
    private DirectoryWatcher watcher;
    private StableFileTracker stableFiles;
    private boolean checkingStableFiles;

    public IngestVerticle(IngestConfig config, Pool pool, RedisAPI redis, StageTimings timings) {
        this.config = config;
        this.pool = pool;
        this.redis = redis;
        this.timings = timings;
    }

    @Override
    public Uni<Void> asyncStart() {
        context = vertx.getOrCreateContext().getDelegate();
        workers = vertx.createSharedWorkerExecutor("hsi-ingest", Math.max(2, Runtime.getRuntime().availableProcessors()));
        ingestor = new Ingestor(config.basePath(), config.dedupeTtlSeconds(), workers, redis,
                new WorkQueue(redis, RedisKeys.DETECTION_QUEUE), new CameraRepository(pool), timings);
        stableFiles = new StableFileTracker(config.fileStableTime());
        return workers.executeBlocking(() -> {
                    startServers();
                    return null;
                })
                .invoke(ignored -> vertx.setPeriodic(config.watcherPollInterval().toMillis(), id -> checkStableFiles()))
                .replaceWithVoid();
    }

    /** The bound FTP port (useful when FTP_PORT=0 picks a free one). */
    public int ftpPort() {
        return ftp.port();
    }

    private void startServers() throws Exception {
        Files.createDirectories(config.basePath());
        ftp = new FtpIngestServer(config, file -> context.runOnContext(v -> uploadFinished(file)));
        ftp.start();
        if (config.defaultFtpAccount()) {
            LOG.warn(DEFAULT_ACCOUNT_WARNING, ftp.port());
        }
        watcher = new DirectoryWatcher(config.basePath(), this::fileChanged);
        watcher.start();
    }

    /** FTP reported a complete upload: ingest it now. */
    private void uploadFinished(Path file) {
        Instant finishedAt = Instant.now();
        workers.executeBlocking(() -> Files.size(file), false)
                .onFailure().recoverWithItem(-1L)
                .subscribe().with(size -> ingestOnce(file, size, finishedAt));
    }

    /** Watcher thread: something changed under the base path. */
    private void fileChanged(Path file) {
        if (UploadValidator.isAcceptedType(file) && !ftp.isUploading(file)) {
            stableFiles.changed(file);
        }
    }

    private void checkStableFiles() {
        if (checkingStableFiles || stableFiles.pendingCount() == 0) {
            return;
        }
        checkingStableFiles = true;
        workers.executeBlocking(stableFiles::collectStable, false)
                .onTermination().invoke(() -> checkingStableFiles = false)
                .subscribe().with(
                        stable -> stable.forEach(file -> ingestOnce(file.path(), file.size(), Instant.now())),
                        failure -> LOG.error("Checking watched files failed: {}", failure.getMessage()));
    }

    private void ingestOnce(Path file, long size, Instant finishedAt) {
        Long known = recentlyIngested.get(file);
        if (known != null && known == size) {
            return;
        }
        recentlyIngested.put(file, size);
        ingestor.ingest(file, finishedAt).subscribe().with(
                outcome -> { },
                failure -> {
                    recentlyIngested.remove(file);
                    LOG.error("Could not queue {}: {}", file, failure.getMessage());
                });
    }

    @Override
    public Uni<Void> asyncStop() {
        return workers.executeBlocking(() -> {
            if (ftp != null) {
                ftp.stop();
            }
            if (watcher != null) {
                watcher.close();
            }
            return null;
        }).replaceWithVoid();
    }
}
