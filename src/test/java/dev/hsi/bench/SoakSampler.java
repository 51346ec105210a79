package dev.hsi.bench;

import dev.hsi.bus.RedisKeys;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * Samples, once a second, the JVM's heap in use, the heap the last collection left (the sum over heap pools of
 * {@link MemoryPoolMXBean#getCollectionUsage()}: what is live, without garbage not yet collected), and the depth of
 * {@code detection_queue}. Keeps the peaks and one after-GC figure per minute, to show whether the heap stays flat.
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
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long afterGc = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage collected = pool.getCollectionUsage();
                if (pool.getType() == MemoryType.HEAP && collected != null) {
                    afterGc += collected.getUsed();
                }
            }
            long depth = redis.llen(RedisKeys.DETECTION_QUEUE);
            peakHeapUsed = Math.max(peakHeapUsed, used);
            peakAfterGc = Math.max(peakAfterGc, afterGc);
            peakQueueDepth = Math.max(peakQueueDepth, depth);
            lastAfterGc = afterGc;
            samples++;
            long minute = (System.nanoTime() - startedNanos) / 60_000_000_000L;
            while (afterGcPerMinute.size() <= minute) {
                afterGcPerMinute.add(afterGc);
            }
            afterGcPerMinute.set((int) minute, afterGc);
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

    /** The heap left by the last collection as it stood at the end of each minute since the sampler started. */
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
