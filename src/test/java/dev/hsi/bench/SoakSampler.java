package dev.hsi.bench;

import dev.hsi.bus.RedisKeys;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * Samples, once a second, the JVM's heap in use and the depth of {@code detection_queue}; once a minute it runs a
 * full GC ({@code System.gc()}) and samples the heap left after it, the live heap. Keeps the peaks and the live heap
 * of every minute, to show whether it stays flat.
 */
final class SoakSampler implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "soak-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final Jedis redis;
    private final long startedNanos = System.nanoTime();
    private final List<Long> afterGcPerMinute = new ArrayList<>();
    private long nextGcNanos = startedNanos + 60_000_000_000L;
    private volatile long peakHeapUsed;
    private volatile long peakAfterGc;
    private volatile long peakQueueDepth;
    private volatile long lastAfterGc;
    private volatile int samples;

    SoakSampler(String redisUrl) {
        this.redis = new Jedis(URI.create(redisUrl));
        timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    private synchronized void sample() {
        try {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long used = memory.getHeapMemoryUsage().getUsed();
            long depth = redis.llen(RedisKeys.DETECTION_QUEUE);
            peakHeapUsed = Math.max(peakHeapUsed, used);
            peakQueueDepth = Math.max(peakQueueDepth, depth);
            samples++;
            if (System.nanoTime() >= nextGcNanos) {
                nextGcNanos += 60_000_000_000L;
                memory.gc();
                long live = memory.getHeapMemoryUsage().getUsed();
                peakAfterGc = Math.max(peakAfterGc, live);
                lastAfterGc = live;
                afterGcPerMinute.add(live);
            }
        } catch (RuntimeException e) {
            // a missed sample (Redis busy) is not worth stopping the soak for
        }
    }

    long peakHeapUsed() {
        return peakHeapUsed;
    }

    long peakAfterGc() {
        return peakAfterGc;
    }

    long peakQueueDepth() {
        return peakQueueDepth;
    }

    long lastAfterGc() {
        return lastAfterGc;
    }

    int samples() {
        return samples;
    }

    /** The heap left by the full GC at the end of each minute since the sampler started. */
    synchronized List<Long> afterGcPerMinute() {
        return List.copyOf(afterGcPerMinute);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        synchronized (this) {
            redis.close();
        }
    }
}
