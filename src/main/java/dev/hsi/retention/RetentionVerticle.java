package dev.hsi.retention;

import dev.hsi.bus.Addresses;
import dev.hsi.bus.BusError;
import dev.hsi.bus.CleanupReport;
import dev.hsi.bus.CleanupRequest;
import dev.hsi.config.RetentionConfig;
import dev.hsi.metrics.Gauges;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.mutiny.core.WorkerExecutor;
import io.vertx.mutiny.core.eventbus.Message;
import io.vertx.mutiny.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention and integrity upkeep: the cleanup runs daily at {@code CLEANUP_TIME} in the clock's (the server's) time
 * zone, and on request ({@link Addresses#RUN_CLEANUP}, from {@code POST /api/system/cleanup}). Every real cleanup
 * is followed by the orphan sweep, which clears references to the rows it removed. One cleanup runs at a time: a
 * request while one runs is refused ({@link BusError#BUSY}); the daily run waits for it instead.
 */
public final class RetentionVerticle extends AbstractVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionVerticle.class);

    private final RetentionConfig config;
    private final Path thumbnailDir;
    private final Path imageDir;
    private final Pool pool;
    private final Clock clock;
    /** When the cleanup under way started; null when none runs. */
    private final AtomicReference<Instant> runningSince = new AtomicReference<>();
    private volatile boolean dailyRunWaiting;
    private WorkerExecutor workers;
    private CleanupJob job;
    private OrphanSweep orphans;
    private long timer = -1;

    /**
     * @param thumbnailDir where detection thumbnails are written
     * @param imageDir     the camera upload folder ({@code FOSCAM_BASE_PATH}): original images are deleted only there
     * @param clock        the time and, through its zone, the wall clock {@code CLEANUP_TIME} is read on
     */
    public RetentionVerticle(RetentionConfig config, Path thumbnailDir, Path imageDir, Pool pool, Clock clock) {
        this.config = config;
        this.thumbnailDir = thumbnailDir;
        this.imageDir = imageDir;
        this.pool = pool;
        this.clock = clock;
    }

    @Override
    public Uni<Void> asyncStart() {
        workers = vertx.createSharedWorkerExecutor("hsi-retention", 1);
        job = new CleanupJob(new RetentionRepository(pool), new MediaFiles(thumbnailDir, imageDir), config, workers,
                clock);
        orphans = new OrphanSweep(pool, Gauges.of(vertx));
        ZonedDateTime next = scheduleDailyRun();
        LOG.info("Retention: detections, events and GPU stats kept {} days, logs and audit logs {} days, original"
                        + " images {}; cleanup daily at {} {} (next {})", config.retentionDays(),
                config.logRetentionDays(), config.deleteImages() ? "deleted with them" : "kept",
                config.cleanupTime(), clock.getZone().getId(), next.toOffsetDateTime());
        return Uni.combine().all().unis(
                        vertx.eventBus().<CleanupRequest>consumer(Addresses.RUN_CLEANUP)
                                .handler(this::runRequestedCleanup).completionHandler(),
                        vertx.eventBus().consumer(Addresses.COUNT_ORPHANED_REFERENCES)
                                .handler(this::countOrphans).completionHandler())
                .discardItems();
    }

    private void runRequestedCleanup(Message<CleanupRequest> request) {
        boolean dryRun = request.body().dryRun();
        if (!runningSince.compareAndSet(null, clock.instant())) {
            request.fail(BusError.BUSY.code(), "A cleanup is already running (since " + runningSince.get() + ")");
            return;
        }
        cleanup(dryRun, "on request").subscribe().with(request::reply,
                failure -> request.fail(BusError.FAILED.code(), "Cleanup failed: " + failure.getMessage()));
    }

    private void countOrphans(Message<Object> request) {
        orphans.count().subscribe().with(request::reply,
                failure -> request.fail(BusError.FAILED.code(), "Cannot count orphaned references: "
                        + failure.getMessage()));
    }

    private ZonedDateTime scheduleDailyRun() {
        Instant now = clock.instant();
        ZonedDateTime next = CleanupSchedule.nextRun(now, clock.getZone(), config.cleanupTime());
        timer = vertx.setTimer(Math.max(1, Duration.between(now, next.toInstant()).toMillis()), id -> {
            scheduleDailyRun();
            runDailyCleanup();
        });
        return next;
    }

    private void runDailyCleanup() {
        if (!runningSince.compareAndSet(null, clock.instant())) {
            LOG.info("The daily cleanup waits for the cleanup running since {}", runningSince.get());
            dailyRunWaiting = true;
            return;
        }
        cleanup(false, "daily").subscribe().with(report -> { }, failure -> { });
    }

    /** Runs one cleanup (the caller holds {@link #runningSince}), then the orphan sweep after a real one. */
    private Uni<CleanupReport> cleanup(boolean dryRun, String why) {
        return job.run(dryRun)
                .call(report -> dryRun ? Uni.createFrom().voidItem() : orphans.clear()
                        .onFailure().invoke(failure -> LOG.error("Integrity check after the cleanup failed: {}",
                                failure.getMessage()))
                        .onFailure().recoverWithNull())
                .invoke(report -> {
                    LOG.info("Cleanup ({}{}): {}", why, dryRun ? ", dry run" : "", report.toJson().encode());
                    if (!dryRun) {
                        count(report);
                    }
                })
                .onFailure().invoke(failure -> LOG.error("Cleanup ({}) failed: {}", why, failure.getMessage(),
                        failure))
                .onTermination().invoke(() -> {
                    runningSince.set(null);
                    if (dailyRunWaiting) {
                        dailyRunWaiting = false;
                        runDailyCleanup();
                    }
                });
    }

    private void count(CleanupReport report) {
        Gauges gauges = Gauges.of(vertx);
        String help = "Rows deleted by retention";
        gauges.add("hsi_retention_rows_deleted_total", help, "table", "detections", report.detectionsDeleted());
        gauges.add("hsi_retention_rows_deleted_total", help, "table", "events", report.eventsDeleted());
        gauges.add("hsi_retention_rows_deleted_total", help, "table", "gpu_stats", report.gpuStatsDeleted());
        gauges.add("hsi_retention_rows_deleted_total", help, "table", "logs", report.logsDeleted());
        gauges.add("hsi_retention_rows_deleted_total", help, "table", "audit_logs", report.auditLogsDeleted());
        String files = "Files deleted by retention";
        gauges.add("hsi_retention_files_deleted_total", files, "kind", "thumbnails", report.thumbnailsDeleted());
        gauges.add("hsi_retention_files_deleted_total", files, "kind", "images", report.imagesDeleted());
    }

    @Override
    public Uni<Void> asyncStop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        return workers == null ? Uni.createFrom().voidItem() : workers.close();
    }
}
