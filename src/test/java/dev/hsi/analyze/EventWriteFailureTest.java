package dev.hsi.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.config.LlmConfig;
import dev.hsi.support.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event's transaction is sent in pipelined round trips (BEGIN, lock, insert; then the baselines' writes and
 * COMMIT). When a statement of it fails, nothing of the batch is kept, no connection goes back to the pool inside
 * the failed transaction, and the queue's retry writes the event once the fault is gone.
 */
class EventWriteFailureTest {

    @TempDir
    static Path dir;
    static AnalyzeStage stage;

    @BeforeAll
    static void start() {
        stage = new AnalyzeStage(dir);
        stage.deployRulesOnly();
        stage.camera("porch", "Porch");
        // a fault injected into one table: every write to it fails, and each failure is counted by a sequence,
        // which (unlike a table) keeps its count when the failing transaction rolls back
        stage.db.update("CREATE SEQUENCE injected_failures");
        stage.db.update("""
                CREATE FUNCTION fail_write() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM nextval('injected_failures');
                    RAISE EXCEPTION 'injected failure on %', TG_TABLE_NAME;
                END $$""");
    }

    @AfterAll
    static void stop() throws Exception {
        stage.close();
    }

    @Test
    @DisplayName("The event's insert fails: nothing is written, no connection is left in a transaction, the retry writes it")
    void eventInsertFails() {
        failWritesTo("events");
        List<Long> ids = List.of(stage.detection("porch", "person", 0.8, Instant.parse("2026-03-02T21:00:00Z")));
        stage.submit("porch-1", "porch", ids);

        awaitFailures(1);
        assertNothingWrittenAndNoTransactionLeftOpen("porch-1");

        healWritesTo("events");
        stage.awaitEvent("porch-1");
        assertThat(stage.events("porch-1")).isEqualTo(1);
        assertThat(stage.db.count("SELECT count(*) FROM event_detections WHERE detection_id = ?", ids.get(0)))
                .isEqualTo(1);
        assertThat(stage.db.count("SELECT sum(current_count) FROM activity_baselines WHERE camera_id = 'porch'"
                + " AND hour = 21"))
                .as("the baselines learn the batch once, with the event").isEqualTo(1);
    }

    @Test
    @DisplayName("A baseline write fails after the event's insert: the event is rolled back with it, then written once")
    void baselineWriteFails() {
        failWritesTo("class_baselines");
        List<Long> ids = List.of(stage.detection("porch", "car", 0.9, Instant.parse("2026-03-09T03:00:00Z")),
                stage.detection("porch", "person", 0.7, Instant.parse("2026-03-09T03:00:10Z")));
        stage.submit("porch-2", "porch", ids);

        awaitFailures(1);
        assertNothingWrittenAndNoTransactionLeftOpen("porch-2");

        healWritesTo("class_baselines");
        stage.awaitEvent("porch-2");
        assertThat(stage.events("porch-2")).isEqualTo(1);
        assertThat(stage.db.count("SELECT count(*) FROM event_detections WHERE detection_id IN (?, ?)",
                ids.get(0), ids.get(1))).isEqualTo(2);
        assertThat(stage.db.count("SELECT sum(sample_count) FROM class_baselines WHERE camera_id = 'porch'"
                + " AND hour = 3")).as("each detection of the batch counted once").isEqualTo(2);
    }

    private static long failuresBefore;

    private static void failWritesTo(String table) {
        failuresBefore = stage.db.count("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM injected_failures");
        stage.db.update("CREATE TRIGGER inject_failure BEFORE INSERT OR UPDATE ON " + table
                + " FOR EACH ROW EXECUTE FUNCTION fail_write()");
    }

    private static void healWritesTo(String table) {
        stage.db.update("DROP TRIGGER inject_failure ON " + table);
    }

    private static void awaitFailures(long count) {
        Eventually.await(Duration.ofSeconds(30), count + " injected failure(s)", () -> stage.db.count(
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM injected_failures") - failuresBefore
                >= count ? true : null);
    }

    private static void assertNothingWrittenAndNoTransactionLeftOpen(String batchId) {
        assertThat(stage.events(batchId)).as("no event while writing fails").isZero();
        Eventually.await(Duration.ofSeconds(10), "no pooled connection left inside a transaction", () -> stage.db.count(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND state LIKE 'idle in transaction%'") == 0 ? true : null);
    }
}
