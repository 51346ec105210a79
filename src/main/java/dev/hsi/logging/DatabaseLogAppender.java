package dev.hsi.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes the log lines at or above the configured level into a bounded buffer, for {@link DatabaseLogWriter} to write.
 * It never blocks the thread that logs (often an event loop): when the buffer is full, the line is dropped (it still
 * reached the console and the log file) and counted. It never logs itself, so it cannot feed on its own lines.
 */
final class DatabaseLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private final int minLevel;
    private final int batchSize;
    private final ArrayBlockingQueue<LogLine> buffer;
    private final AtomicLong dropped = new AtomicLong();
    private volatile Runnable onBatchReady = () -> { };

    /** @param minLevel one of {@link LogLine#LEVELS} */
    DatabaseLogAppender(String minLevel, int capacity, int batchSize) {
        this.minLevel = LogLine.LEVELS.indexOf(minLevel);
        if (this.minLevel < 0) {
            throw new IllegalArgumentException("Unknown level " + minLevel + "; expected one of " + LogLine.LEVELS);
        }
        this.buffer = new ArrayBlockingQueue<>(capacity);
        this.batchSize = Math.min(batchSize, capacity);
        setName("hsi-database");
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (LogLine.LEVELS.indexOf(LogLine.level(event)) < minLevel) {
            return;
        }
        if (!buffer.offer(LogLine.of(event))) {
            dropped.incrementAndGet();
        } else if (buffer.size() >= batchSize) {
            onBatchReady.run();
        }
    }

    /** Called, on the logging thread, whenever a full batch waits; it must only hand the work over. */
    void onBatchReady(Runnable action) {
        this.onBatchReady = action;
    }

    /** Moves up to {@code max} waiting lines, oldest first, into {@code into}. */
    int drainTo(List<LogLine> into, int max) {
        return buffer.drainTo(into, max);
    }

    int waiting() {
        return buffer.size();
    }

    /** Lines dropped because the buffer was full, since start. */
    long dropped() {
        return dropped.get();
    }
}
