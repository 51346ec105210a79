package dev.hsi.ingest;

import dev.hsi.bus.RedisKeys;
import dev.hsi.media.DecodedImages;
import dev.hsi.config.IngestConfig;
import dev.hsi.config.QueueConfig;
import dev.hsi.metrics.StageTimings;
import dev.hsi.queue.Outages;
import dev.hsi.queue.WorkQueue;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.mutiny.core.WorkerExecutor;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** KEYS[1] a dedupe key, ARGV[1] a file: deletes the key only when it names that file. */
    private static final String FORGET_OWN_SIGHTING =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
    private static final String DEFAULT_ACCOUNT_WARNING =
            "FTP_USERS is not set: cameras log in as camera/camera. Set FTP_USERS=user:password,... before exposing"
                    + " port {} to your network.";

    private final IngestConfig config;
    private final QueueConfig queueConfig;
    private final Pool pool;
    private final RedisAPI redis;
    private final StageTimings timings;
    /**
     * Files being ingested or ingested already, so that the watcher does not report FTP uploads again and
     * reconciliation does not queue what ingest is queueing.
     */
    private final Map<Path, Ingested> recentlyIngested = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Ingested> eldest) {
            return size() > RECENT_FILES;
        }
    };
    private Context context;
    private final DecodedImages decodedImages;
    private WorkerExecutor workers;
    private Ingestor ingestor;
    private FtpIngestServer ftp;
    private DirectoryWatcher watcher;
    private StableFileTracker stableFiles;
    private boolean checkingStableFiles;
    private volatile boolean intakeStopped;

    /** A file's size when ingested, and when its ingest ended (null while it runs). */
    private record Ingested(long size, Instant finishedAt) {
    }

    public IngestVerticle(IngestConfig config, QueueConfig queueConfig, Pool pool, RedisAPI redis,
            StageTimings timings, DecodedImages decodedImages) {
        this.queueConfig = queueConfig;
        this.decodedImages = decodedImages;
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
                new WorkQueue(redis, RedisKeys.DETECTION_QUEUE, queueConfig), new CameraRepository(pool), timings, decodedImages);
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

    /** True for the file types ingest takes (images and clips), by name. */
    public static boolean accepts(Path file) {
        return UploadValidator.isAcceptedType(file);
    }

    /**
     * Reconciliation found this file with no detections, no job and no DLQ entry as of {@code accountedAt}: ingest
     * it as an upload modified at {@code modifiedAt}. Skipped (false) while FTP is still writing it, or when an
     * ingest of it was still running at {@code accountedAt} or began since (that one queues it). A dedupe key that
     * names this very file is a leftover of an ingest that never reached the queue (a crash, or Redis failing
     * between the two): it is removed first, so that the file is not taken for a duplicate of itself. True when the
     * file was queued (or dead-lettered by a full queue); a failure when it could not be queued now.
     */
    public Uni<Boolean> requeue(Path file, long size, Instant modifiedAt, Instant accountedAt) {
        return Uni.createFrom().<Boolean>emitter(emitter -> context.runOnContext(v -> {
            Ingested known = recentlyIngested.get(file);
            boolean ingestAfterSnapshot = known != null
                    && (known.finishedAt() == null || !known.finishedAt().isBefore(accountedAt));
            if (intakeStopped || ftp.isUploading(file) || ingestAfterSnapshot) {
                emitter.complete(false);
                return;
            }
            recentlyIngested.put(file, new Ingested(size, null));
            workers.executeBlocking(() -> sha256(file), false)
                    .onItem().transformToUni(hash -> redis.eval(List.of(FORGET_OWN_SIGHTING, "1",
                            RedisKeys.dedupe(hash), file.toString())))
                    .onItem().transformToUni(forgotten -> ingestor.ingest(file, modifiedAt))
                    .onFailure().invoke(failure -> recentlyIngested.remove(file))
                    .subscribe().with(outcome -> {
                        recentlyIngested.put(file, new Ingested(size, Instant.now()));
                        switch (outcome) {
                            case QUEUED, DEAD_LETTERED -> emitter.complete(true);
                            case QUEUE_FULL -> emitter.fail(new IllegalStateException("the detection queue is full"));
                            default -> emitter.complete(false);
                        }
                    }, emitter::fail);
        }));
    }

    /** Stops taking uploads (FTP and the directory watcher); files that arrive later wait on disk. Idempotent. */
    public Uni<Void> stopIntake() {
        if (workers == null) {
            return Uni.createFrom().voidItem();
        }
        return workers.executeBlocking(() -> {
            synchronized (this) {
                if (!intakeStopped) {
                    intakeStopped = true;
                    if (ftp != null) {
                        ftp.stop();
                    }
                    if (watcher != null) {
                        watcher.close();
                    }
                    LOG.info("Intake stopped: FTP and the directory watcher no longer take uploads");
                }
            }
            return null;
        }).replaceWithVoid();
    }

    private void startServers() throws Exception {
        Files.createDirectories(config.basePath());
        ftp = new FtpIngestServer(config, this::uploadFinished);
        ftp.start();
        if (config.defaultFtpAccount()) {
            LOG.warn(DEFAULT_ACCOUNT_WARNING, ftp.port());
        }
        watcher = new DirectoryWatcher(config.basePath(), this::fileChanged);
        watcher.start();
    }

    /**
     * FTP thread (never an event loop): a complete upload, ingested now. Its size is read here, a single stat call,
     * so that the upload reaches the verticle's context in one hop.
     */
    private void uploadFinished(Path file) {
        Instant finishedAt = Instant.now();
        long size = sizeOrUnknown(file);
        context.runOnContext(v -> ingestOnce(file, size, finishedAt));
    }

    private static long sizeOrUnknown(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1L;
        }
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
        Ingested known = recentlyIngested.get(file);
        if (known != null && known.size() == size) {
            return;
        }
        recentlyIngested.put(file, new Ingested(size, null));
        ingestor.ingest(file, finishedAt).subscribe().with(
                outcome -> recentlyIngested.put(file, new Ingested(size, Instant.now())),
                failure -> {
                    recentlyIngested.remove(file);
                    if (Outages.infrastructureCause(failure).isPresent()) {
                        LOG.warn("Could not queue {} ({}): it stays on disk, and reconciliation queues it once Redis"
                                + " and PostgreSQL answer again", file, failure.getMessage());
                    } else {
                        LOG.error("Could not queue {}: {}", file, failure.getMessage());
                    }
                });
    }

    @Override
    public Uni<Void> asyncStop() {
        return stopIntake();
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read; (read = in.read(chunk)) > 0; ) {
                digest.update(chunk, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
