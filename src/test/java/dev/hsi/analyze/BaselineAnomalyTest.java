package dev.hsi.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.config.LlmConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Baselines learnt through the analyze stage on real PostgreSQL: quiet hours teach a camera its usual activity, and
 * only a burst far above it is scored as anomalous, on the event and in the rules' judgement.
 */
class BaselineAnomalyTest {

    private static final Instant START = Instant.parse("2026-01-05T00:20:00Z");

    @TempDir
    static Path dir;
    static AnalyzeStage stage;

    @BeforeAll
    static void start() {
        stage = new AnalyzeStage(dir);
        stage.deployRulesOnly();
        stage.camera("drive", "Drive");
    }

    @AfterAll
    static void stop() throws Exception {
        stage.close();
    }

    @Test
    @DisplayName("A hundred quiet hours then a burst: the burst alone gets a high anomaly score")
    void burstAfterQuietHours() {
        List<Map<String, Object>> quiet = new ArrayList<>();
        for (int hour = 0; hour < 100; hour++) {
            quiet.add(batch("quiet-" + hour, START.plus(Duration.ofHours(hour)), 1 + hour % 2));
        }
        Map<String, Object> burst = batch("burst", START.plus(Duration.ofHours(100)), 30);
        Map<String, Object> after = batch("after", START.plus(Duration.ofHours(101)), 1);

        assertThat(quiet.subList(0, 10)).as("too little history in the first ten hours")
                .allSatisfy(event -> assertThat(event.get("anomaly_score")).isNull());
        assertThat(quiet.subList(10, 100)).as("quiet hours are usual once learnt")
                .allSatisfy(event -> assertThat((Double) event.get("anomaly_score")).isLessThan(0.25));
        assertThat((Double) burst.get("anomaly_score")).isGreaterThan(0.9);
        assertThat((Double) after.get("anomaly_score")).isLessThan(0.25);

        assertThat((String) burst.get("reasoning")).contains("30 detections this hour where about 1.");
        assertThat((Integer) burst.get("risk_score")).isGreaterThan((Integer) quiet.get(50).get("risk_score"));
        assertThat(stage.db.count("SELECT sum(sample_count) FROM class_baselines WHERE camera_id = 'drive'"))
                .as("each detection counted once in the class frequencies").isEqualTo(150 + 30 + 1);
        assertThat(stage.db.count("SELECT count(*) FROM activity_baselines WHERE camera_id = 'drive'"))
                .as("one slot per hour of the week seen").isEqualTo(102);
    }

    @Test
    @DisplayName("A batch analysed again is learnt once: the baselines do not count a redelivered job twice")
    void redeliveredBatchLearntOnce() {
        stage.camera("gate", "Gate");
        Instant at = Instant.parse("2026-02-02T10:15:00Z");
        List<Long> ids = List.of(stage.detection("gate", "person", 0.8, at),
                stage.detection("gate", "person", 0.7, at.plusSeconds(5)));
        stage.submit("gate-1", "gate", ids);
        stage.awaitEvent("gate-1");
        stage.submit("gate-1", "gate", ids);
        stage.submit("gate-2", "gate", List.of(stage.detection("gate", "dog", 0.9, at.plusSeconds(60))));
        stage.awaitEvent("gate-2");

        assertThat(stage.events("gate-1")).isEqualTo(1);
        assertThat(stage.db.rows("SELECT current_count FROM activity_baselines WHERE camera_id = 'gate'").get(0))
                .containsEntry("current_count", 3);
        assertThat(stage.db.count("SELECT sample_count FROM class_baselines WHERE camera_id = 'gate'"
                + " AND detection_class = 'person'")).isEqualTo(2);
    }

    private static Map<String, Object> batch(String batchId, Instant at, int detections) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < detections; i++) {
            ids.add(stage.detection("drive", i % 3 == 2 ? "car" : "person", 0.8, at.plusSeconds(i)));
        }
        stage.submit(batchId, "drive", ids);
        return stage.awaitEvent(batchId);
    }
}
