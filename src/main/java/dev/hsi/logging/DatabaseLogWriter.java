package dev.hsi.logging;

import dev.hsi.metrics.Gauges;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes the buffered log lines into {@code logs}, one statement per batch of up to {@value #BATCH_SIZE} lines, every
 * second or as soon as a batch is full, one batch at a time. The appender is attached to the root logger while this
 * verticle runs (so lines go to the database only once the pool exists and until shutdown), and what is buffered at
 * stop is written before the pool closes. A failed batch is dropped and counted; the first failure of a run of
 * failures is reported on stderr, never through the logger (which would feed this writer again).
 */
public final class DatabaseLogWriter extends AbstractVerticle {

    static final int BATCH_SIZE = 500;
    static final String DROPPED_METRIC = "hsi_log_lines_dropped_total";
    private static final String DROPPED_HELP = "Backend log lines not written to table logs, by reason";
    private static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);
    private static final Duration FINAL_FLUSH_TIMEOUT = Duration.ofSeconds(5);

    private final ServerLogging logging;
    private final DatabaseLogAppender appender;
    private final Pool pool;
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private Gauges gauges;
    private boolean writing;
    private boolean failureReported;
    private long droppedReported;

    DatabaseLogWriter(ServerLogging logging, DatabaseLogAppender appender, Pool pool) {
        this.logging = logging;
        this.appender = appender;
        this.pool = pool;
    }

    @Override
    public Uni<Void> asyncStart() {
        gauges = Gauges.of(vertx);
        gauges.add(DROPPED_METRIC, DROPPED_HELP, "reason", "buffer_full", 0);
        gauges.add(DROPPED_METRIC, DROPPED_HELP, "reason", "write_failed", 0);
        var context = vertx.getOrCreateContext();
        appender.onBatchReady(() -> {
            if (flushQueued.compareAndSet(false, true)) {
                context.runOnContext(() -> {
                    flushQueued.set(false);
                    flush();
                });
            }
        });
        vertx.setPeriodic(FLUSH_INTERVAL.toMillis(), id -> flush());
        logging.attach(appender);
        return Uni.createFrom().voidItem();
    }

    /** Starts writing the next batch unless one is being written; a full buffer keeps the batches coming. */
    private void flush() {
        countDrops();
        if (writing) {
            return;
        }
        List<LogLine> batch = new ArrayList<>(BATCH_SIZE);
        if (appender.drainTo(batch, BATCH_SIZE) == 0) {
            return;
        }
        writing = true;
        write(batch).subscribe().with(done -> {
            writing = false;
            if (appender.waiting() >= BATCH_SIZE) {
                flush();
            }
        }, failure -> writing = false);
    }

    /** Never fails: a batch that cannot be written is counted and dropped. */
    private Uni<Void> write(List<LogLine> batch) {
        int size = batch.size();
        OffsetDateTime[] timestamps = new OffsetDateTime[size];
        String[] levels = new String[size];
        String[] components = new String[size];
        String[] messages = new String[size];
        String[] cameras = new String[size];
        Long[] events = new Long[size];
        Long[] detections = new Long[size];
        String[] extras = new String[size];
        for (int i = 0; i < size; i++) {
            LogLine line = batch.get(i);
            timestamps[i] = line.timestamp().atOffset(ZoneOffset.UTC);
            levels[i] = line.level();
            components[i] = line.component();
            messages[i] = line.message();
            cameras[i] = line.cameraId();
            events[i] = line.eventId();
            detections[i] = line.detectionId();
            extras[i] = line.extra();
        }
        Tuple arrays = Tuple.tuple(List.<Object>of(timestamps, levels, components, messages, cameras, events, detections,
                extras));
        return pool.preparedQuery(LogWriteSql.INSERT_BACKEND_LOGS).execute(arrays)
                .invoke(rows -> failureReported = false)
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    gauges.add(DROPPED_METRIC, DROPPED_HELP, "reason", "write_failed", size);
                    if (!failureReported) {
                        failureReported = true;
                        System.err.println("HSI could not write " + size + " log line(s) to table logs, dropped"
                                + " (reported once until a write succeeds): " + failure);
                    }
                    return null;
                });
    }

    private void countDrops() {
        long dropped = appender.dropped();
        if (dropped > droppedReported) {
            gauges.add(DROPPED_METRIC, DROPPED_HELP, "reason", "buffer_full", dropped - droppedReported);
            droppedReported = dropped;
        }
    }

    /**
     * Detaches the appender, then writes what it buffered, beside a batch still in flight (bounded in time: the pool
     * closes next).
     */
    @Override
    public Uni<Void> asyncStop() {
        logging.detach(appender);
        return drain().ifNoItem().after(FINAL_FLUSH_TIMEOUT).recoverWithItem((Void) null);
    }

    private Uni<Void> drain() {
        List<LogLine> batch = new ArrayList<>(BATCH_SIZE);
        if (appender.drainTo(batch, BATCH_SIZE) == 0) {
            countDrops();
            return Uni.createFrom().voidItem();
        }
        return write(batch).onItem().transformToUni(done -> drain());
    }
}
