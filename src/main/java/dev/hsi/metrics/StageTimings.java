package dev.hsi.metrics;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Latency samples per pipeline stage, kept in fixed-size rings (the newest {@value #CAPACITY} per stage) so that
 * memory stays flat however long the server runs. Thread-safe: stages record from event loops and workers.
 */
public final class StageTimings {

    static final int CAPACITY = 10_000;

    private final Map<Stage, Ring> rings = new EnumMap<>(Stage.class);

    public StageTimings() {
        for (Stage stage : Stage.values()) {
            rings.put(stage, new Ring());
        }
    }

    public void record(Stage stage, Duration duration) {
        rings.get(stage).add(duration.toNanos() / 1_000_000.0);
    }

    public void recordMillis(Stage stage, double millis) {
        rings.get(stage).add(millis);
    }

    /** {@code {stage: {count, p50, p95, p99, max}}} in milliseconds. */
    public JsonObject snapshot() {
        JsonObject json = new JsonObject();
        rings.forEach((stage, ring) -> json.put(stage.name().toLowerCase(), ring.summary()));
        return json;
    }

    public void clear() {
        rings.values().forEach(Ring::clear);
    }

    private static final class Ring {
        private final double[] samples = new double[CAPACITY];
        private long count;

        synchronized void add(double value) {
            samples[(int) (count % CAPACITY)] = value;
            count++;
        }

        synchronized void clear() {
            count = 0;
        }

        synchronized JsonObject summary() {
            int size = (int) Math.min(count, CAPACITY);
            double[] sorted = Arrays.copyOf(samples, size);
            Arrays.sort(sorted);
            return new JsonObject()
                    .put("sample_count", size)
                    .put("p50", percentile(sorted, 0.50))
                    .put("p95", percentile(sorted, 0.95))
                    .put("p99", percentile(sorted, 0.99))
                    .put("max", size == 0 ? null : sorted[size - 1]);
        }

        private static Double percentile(double[] sorted, double quantile) {
            if (sorted.length == 0) {
                return null;
            }
            int index = (int) Math.ceil(quantile * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }
}
