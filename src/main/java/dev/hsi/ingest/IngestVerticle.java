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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage: the FTP server and the directory watcher feed finished uploads to the {@link Ingestor}, which
 * puts them on {@code detection_queue}. A file is ingested once even when both sources report it. An upload renamed
 * over FTP is followed, not ingested again ({@link UploadRenames}, decision 0015).
 */
public final class IngestVerticle extends AbstractVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(IngestVerticle.class);
    private static final String DEFAULT_ACCOUNT_WARNING =
            "FTP_USERS is not set: cameras log in as camera/camera. Set FTP_USERS=user:password,... before exposing"
                    + " port {} to your network.";

    private final IngestConfig config;
    private final QueueConfig queueConfig;
    private final Pool pool;
    private final RedisAPI redis;
    private final StageTimings timings;
    private final RecentIngests recent = new RecentIngests();
    private UploadRenames renames;
    private Context context;
    private final DecodedImages decodedImages;
    private WorkerExecutor workers;
    private Ingestor ingestor;
    private FtpIngestServer ftp;
    private DirectoryWatcher watcher;
    private StableFileTracker stableFiles;
    private boolean checkingStableFiles;
    private volatile boolean intakeStopped;

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
        renames = new UploadRenames(redis, vertx.eventBus(), context);
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
            if (intakeStopped || ftp.isUploading(file) || recent.ingestedSince(file, accountedAt)) {
                emitter.complete(false);
                return;
            }
            recent.started(file, size);
            workers.executeBlocking(() -> UploadValidator.sha256(file), false)
                    .onItem().transformToUni(hash -> redis.eval(List.of(UploadRenames.DELETE_IF_HOLDS, "1",
                            RedisKeys.dedupe(hash), file.toString())))
                    .onItem().transformToUni(forgotten -> ingestor.ingest(file, modifiedAt))
                    .onFailure().invoke(failure -> failed(file))
                    .subscribe().with(outcome -> {
                        finished(file, size, outcome);
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
        ftp = new FtpIngestServer(config, this::uploadFinished, new FtpIngestServer.RenameListener() {
            @Override
            public String renaming(Path from, Path to) {
                return renames.announceAndWait(from, to);
            }

            @Override
            public void renamed(Path from, Path to, String sha256, boolean moved) {
                renameFinished(from, to, sha256, moved);
            }
        });
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
        if (!recent.knows(file, size)) {
            ingest(file, size, finishedAt);
        }
    }

    private void ingest(Path file, long size, Instant finishedAt) {
        recent.started(file, size);
        ingestor.ingest(file, finishedAt).subscribe().with(
                outcome -> finished(file, size, outcome),
                failure -> {
                    failed(file);
                    if (Outages.infrastructureCause(failure).isPresent()) {
                        LOG.warn("Could not queue {} ({}): it stays on disk, and reconciliation queues it once Redis"
                                + " and PostgreSQL answer again", file, failure.getMessage());
                    } else {
                        LOG.error("Could not queue {}: {}", file, failure.getMessage());
                    }
                });
    }

    /** Context: the ingest of {@code file} ended; a rename made meanwhile is settled now. */
    private void finished(Path file, long size, Ingestor.Outcome outcome) {
        RecentIngests.PendingRename rename = recent.finished(file, size, outcome);
        if (rename != null) {
            settleRename(rename.to(), rename.size(), outcome);
        }
    }

    /** Context: the ingest of {@code file} could not finish (Redis or PostgreSQL failed); nothing remembers it. */
    private void failed(Path file) {
        RecentIngests.PendingRename rename = recent.failed(file);
        if (rename != null) {
            settleRename(rename.to(), rename.size(), null);
        }
    }

    /** FTP thread, after RNTO: hands the outcome of the rename to the verticle's context. */
    private void renameFinished(Path from, Path to, String sha256, boolean moved) {
        Instant finishedAt = Instant.now();
        long size = sizeOrUnknown(to);
        context.runOnContext(v -> {
            if (sha256 == null) {
                // not an upload under its old name (x.jpg.part): the new name, if accepted, is a new upload
                if (moved && UploadValidator.isAcceptedType(to)) {
                    ingestOnce(to, size, finishedAt);
                }
            } else if (!moved) {
                renames.withdraw(sha256, from, to).subscribe().with(done -> { }, failure -> LOG.warn(
                        "Could not withdraw the refused rename of {} to {}: {}", from, to, failure.getMessage()));
            } else {
                followRename(from, to, sha256, size);
            }
        });
    }

    /**
     * Context: an upload's file was renamed. Its records and its dedupe sighting follow it ({@link UploadRenames}),
     * and a job queued under the old name is stored under the new one. The new name is ingested only when nothing
     * was queued under the old name: the old name's ingest vanished or failed, or the pipeline never heard of it.
     */
    private void followRename(Path from, Path to, String sha256, long size) {
        Uni<Boolean> followed = renames.follow(sha256, from, to);
        if (!UploadValidator.isAcceptedType(to)) {
            recent.forget(from);
            followed.subscribe().with(known -> { }, failure -> { }); // x.jpg to x.jpg.bak: only the records follow
            return;
        }
        RecentIngests.Ingested before = recent.renamed(from, to, size);
        if (before != null && before.running()) {
            followed.subscribe().with(known -> { }, failure -> { }); // settled when the old name's ingest ends
        } else if (before != null) {
            followed.subscribe().with(known -> { }, failure -> { });
            settleRename(to, size, before.outcome());
        } else {
            followed.subscribe().with(
                    known -> settleRename(to, size, known ? Ingestor.Outcome.QUEUED : null),
                    failure -> settleRename(to, size, null));
        }
    }

    /**
     * Context: {@code outcome} is what became of a renamed file under its old name. Queued, dead-lettered or a
     * duplicate: the same content under the new name is all of that already. Otherwise (vanished before it was read,
     * refused by a full queue, rejected where the new name may be accepted, failed, or unknown) it is ingested under
     * the new name.
     */
    private void settleRename(Path to, long size, Ingestor.Outcome outcome) {
        boolean settled = outcome != null && switch (outcome) {
            case QUEUED, DEAD_LETTERED, DUPLICATE -> true;
            case REJECTED, QUEUE_FULL, VANISHED -> false;
        };
        LOG.debug("Renamed upload {}: {} under its old name, {}", to, outcome == null ? "unknown" : outcome,
                settled ? "followed" : "ingested under the new name");
        if (settled) {
            finished(to, size, outcome);
        } else {
            ingest(to, size, Instant.now());
        }
    }

    @Override
    public Uni<Void> asyncStop() {
        return stopIntake();
    }
}
