package dev.hsi.metrics;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class StageTimingsTest {

    private final StageTimings timings = new StageTimings();

    @Test
    @DisplayName("Percentiles of 1..100 ms are the nearest-rank samples 50, 95 and 99 ms, with max 100 ms")
    void percentilesOfKnownSamples() {
        for (int ms = 100; ms >= 1; ms--) {
            timings.recordMillis(Stage.INFERENCE, ms);
        }

        JsonObject inference = timings.snapshot().getJsonObject("inference");

        assertThat(inference.getInteger("sample_count")).isEqualTo(100);
        assertThat(inference.getDouble("p50")).isEqualTo(50.0);
        assertThat(inference.getDouble("p95")).isEqualTo(95.0);
        assertThat(inference.getDouble("p99")).isEqualTo(99.0);
        assertThat(inference.getDouble("max")).isEqualTo(100.0);
    }

    @Test
    @DisplayName("Durations are reported in milliseconds")
    void durationsInMillis() {
        timings.record(Stage.DECODE, Duration.ofMillis(1500));

        assertThat(timings.snapshot().getJsonObject("decode").getDouble("max")).isEqualTo(1500.0);
    }

    @Test
    @DisplayName("A stage with no samples reports a count of 0 and no percentiles")
    void emptyStage() {
        JsonObject queueWait = timings.snapshot().getJsonObject("queue_wait");

        assertThat(queueWait.getInteger("sample_count")).isZero();
        assertThat(queueWait.getValue("p50")).isNull();
        assertThat(queueWait.getValue("max")).isNull();
    }

    @Test
    @DisplayName("Memory stays bounded: after 50,000 samples only the newest 10,000 are kept")
    void keepsOnlyTheNewestSamples() {
        for (int i = 1; i <= 50_000; i++) {
            timings.recordMillis(Stage.UPLOAD_TO_QUEUED, i);
        }

        JsonObject stage = timings.snapshot().getJsonObject("upload_to_queued");

        assertThat(stage.getInteger("sample_count")).isEqualTo(10_000);
        assertThat(stage.getDouble("max")).isEqualTo(50_000.0);
        assertThat(stage.getDouble("p50")).isEqualTo(45_000.0);
    }

    @Test
    @DisplayName("The snapshot lists every stage under its lowercase name")
    void everyStageIsListed() {
        assertThat(timings.snapshot().fieldNames()).hasSize(Stage.values().length)
                .contains("upload_to_queued", "queued_to_detected", "batch_closed_to_broadcast");
    }
}
