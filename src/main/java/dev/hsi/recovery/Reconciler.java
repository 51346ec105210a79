package dev.hsi.recovery;

import dev.hsi.bus.RedisKeys;
import dev.hsi.config.BatchConfig;
import dev.hsi.config.IngestConfig;
import dev.hsi.config.QueueConfig;
import dev.hsi.config.RecoveryConfig;
import dev.hsi.queue.QueueBoard;
import dev.hsi.queue.WorkQueue;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts back what crashes and outages lost, from what is on disk and in PostgreSQL: uploads that nothing accounts
 * for are queued again ({@link FilePass}), batches whose Redis state vanished are closed ({@link OrphanPass}).
 *
 * <p>A pass runs at start, and whenever PostgreSQL or Redis answers again after an outage (uploads that arrived
 * meanwhile could not be queued; detections could not be batched). Redis that came back empty is recognised by
 * the key {@value #EPOCH_KEY}, set at start: its absence means every queue, batch and dedupe key went with it,
 * and the pass then covers the whole retention window. Otherwise a pass covers the files changed since the last
 * complete pass ({@value #RECONCILED_UNTIL_KEY}). Each pass is followed by one more once the batch window has
 * passed, for files that were still being written and batches that were still open, and a routine pass runs every
 * ten minutes (uploads a full queue refused wait on disk for it). Passes never overlap; each logs one summary line.
 */
public final class Reconciler extends AbstractVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    static final String EPOCH_KEY = "hsi:epoch";
    static final String RECONCILED_UNTIL_KEY = "hsi:reconciled_until";
    private static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);
    /** A pass looks a little before the previous one's end, for clocks and file systems that round times. */
    private static final Duration MARK_OVERLAP = Duration.ofMinutes(1);
    /** Passes also run this often, for uploads ingest could not queue for other reasons (a full queue). */
    private static final Duration PERIODIC_INTERVAL = Duration.ofMinutes(10);
    private static final String FOLLOW_UP = "follow-up";
    private static final String PERIODIC = "periodic";

    private final RecoveryConfig recovery;
    private final IngestConfig ingest;
    private final BatchConfig batch;
    private final QueueConfig queues;
    private final Pool pool;
    private final RedisAPI redis;
    private final HealthProbe probe;
    private final Requeuer requeuer;
    private final Predicate<Path> acceptedType;
    private QueueBoard board;
    private FilePass files;
    private OrphanPass orphans;
    private Set<String> down = Set.of();
    private boolean watching;
    private boolean passRunning;
    private String pendingReason;
    private long followUpTimer = -1;
    private volatile boolean stopped;

    public Reconciler(RecoveryConfig recovery, IngestConfig ingest, BatchConfig batch, QueueConfig queues, Pool pool,
            RedisAPI redis, HealthProbe probe, Requeuer requeuer, Predicate<Path> acceptedType) {
        this.recovery = recovery;
        this.ingest = ingest;
        this.batch = batch;
        this.queues = queues;
        this.pool = pool;
        this.redis = redis;
        this.probe = probe;
        this.requeuer = requeuer;
        this.acceptedType = acceptedType;
    }

    @Override
    public Uni<Void> asyncStart() {
        board = QueueBoard.of(vertx);
        files = new FilePass(ingest.basePath(), acceptedType, Duration.ofSeconds(ingest.dedupeTtlSeconds()), requeuer,
                vertx.createSharedWorkerExecutor("hsi-recovery", 1), pool);
        orphans = new OrphanPass(vertx, pool, redis, new WorkQueue(redis, RedisKeys.ANALYSIS_QUEUE, queues),
                batch.window(), batch.idleTimeout());
        vertx.setPeriodic(WATCH_INTERVAL.toMillis(), id -> watch());
        vertx.setPeriodic(PERIODIC_INTERVAL.toMillis(), id -> request(PERIODIC));
        markEpoch().subscribe().with(
                fresh -> request(fresh ? "start, Redis empty" : "start"),
                failure -> {
                    LOG.warn("Reconciliation waits for Redis: {}", failure.getMessage());
                    down = Set.of(HealthProbe.REDIS);
                });
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> asyncStop() {
        stopped = true;
        return Uni.createFrom().voidItem();
    }

    /** Sets the epoch key if Redis lacks it; true when it did (Redis is new or came back empty). */
    private Uni<Boolean> markEpoch() {
        return redis.set(List.of(EPOCH_KEY, UUID.randomUUID().toString(), "NX")).map(reply -> reply != null);
    }

    /** Once a second: notices an outage ending, and Redis having come back empty even between two looks. */
    private void watch() {
        if (watching || stopped) {
            return;
        }
        watching = true;
        probe.down()
                .onItem().transformToUni(now -> now.isEmpty()
                        ? markEpoch().map(this::allAnswer)
                        : Uni.createFrom().item(outage(now)))
                .onTermination().invoke(() -> watching = false)
                .subscribe().with(reason -> {
                    if (reason != null) {
                        request(reason);
                    }
                }, failure -> LOG.debug("Reconciliation watch failed: {}", failure.getMessage()));
    }

    private String outage(Set<String> nowDown) {
        if (down.isEmpty()) {
            LOG.warn("Outage: {} down; uploads stay on disk and the stages wait", String.join(" and ", nowDown));
        }
        down = Set.copyOf(nowDown);
        return null;
    }

    /** Every service answers: the reason for a pass when Redis lost its data or an outage just ended, else null. */
    private String allAnswer(boolean redisEmpty) {
        Set<String> wereDown = down;
        down = Set.of();
        if (redisEmpty) {
            return "Redis came back empty";
        }
        return wereDown.isEmpty() ? null : String.join(" and ", wereDown) + " back after an outage";
    }

    private void request(String reason) {
        if (stopped) {
            return;
        }
        if (passRunning) {
            // a routine pass never replaces a pass for a fresh reason
            if (pendingReason == null || !routine(reason)) {
                pendingReason = reason;
            }
            return;
        }
        passRunning = true;
        long started = System.nanoTime();
        pass().subscribe().with(summary -> {
            LOG.info("Reconciliation ({}): {}; {} ms", reason, summary, (System.nanoTime() - started) / 1_000_000);
            if (!routine(reason)) {
                scheduleFollowUp();
            }
            passDone();
        }, failure -> {
            LOG.warn("Reconciliation ({}) failed: {}; it runs again when the services answer", reason,
                    failure.getMessage());
            if (!routine(reason)) {
                scheduleFollowUp();
            }
            passDone();
        });
    }

    private static boolean routine(String reason) {
        return reason.equals(FOLLOW_UP) || reason.equals(PERIODIC);
    }

    private void passDone() {
        passRunning = false;
        String next = pendingReason;
        pendingReason = null;
        if (next != null) {
            request(next);
        }
    }

    private void scheduleFollowUp() {
        if (followUpTimer >= 0) {
            vertx.cancelTimer(followUpTimer);
        }
        Duration delay = batch.window().plus(batch.idleTimeout()).plus(ingest.fileStableTime()).plusSeconds(5);
        followUpTimer = vertx.setTimer(delay.toMillis(), id -> {
            followUpTimer = -1;
            request(FOLLOW_UP);
        });
    }

    private Uni<String> pass() {
        Instant now = Instant.now();
        Instant windowStart = now.minus(recovery.retention());
        // a file changed within the stable time may still be written: FTP and the watcher report it when done
        Instant freshLimit = now.minus(ingest.fileStableTime()).minusSeconds(1);
        return reconciledUntil().onItem().transformToUni(mark -> {
            Instant scopeStart = mark.map(m -> m.minus(MARK_OVERLAP)).filter(m -> m.isAfter(windowStart))
                    .orElse(windowStart);
            return QueueSnapshot.take(redis, board)
                    .onItem().transformToUni(snapshot -> files.run(windowStart, scopeStart, freshLimit, snapshot)
                            .onItem().transformToUni(filed -> orphans.run(windowStart, snapshot)
                                    .onItem().transformToUni(closed -> markReconciled(filed, freshLimit)
                                            .map(ignored -> describe(filed, closed, mark.isPresent(), scopeStart)))));
        });
    }

    private Uni<Optional<Instant>> reconciledUntil() {
        return redis.get(RECONCILED_UNTIL_KEY).map(value -> Optional.ofNullable(value)
                .map(v -> Instant.ofEpochMilli(Long.parseLong(v.toString()))));
    }

    /** Only a pass that queued everything it should moves the mark: otherwise the next pass tries again. */
    private Uni<Void> markReconciled(FilePass.Result filed, Instant until) {
        if (filed.failed() > 0) {
            return Uni.createFrom().voidItem();
        }
        return redis.set(List.of(RECONCILED_UNTIL_KEY, String.valueOf(until.toEpochMilli()))).replaceWithVoid();
    }

    private static String describe(FilePass.Result filed, OrphanPass.Result closed, boolean marked, Instant scope) {
        return String.format("%d upload(s) changed since %s checked: %d queued again, %d skipped (duplicates,"
                        + " rejected or in progress), %d could not be queued%s; %d detection(s) without an event"
                        + " closed in %d batch(es)",
                filed.inScope(), marked ? scope.toString() : "the retention window began", filed.queued(),
                filed.skipped(), filed.failed(), filed.firstFailure() == null ? "" : " (" + filed.firstFailure() + ")",
                closed.orphans(), closed.batches());
    }
}
