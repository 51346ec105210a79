package dev.hsi.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.support.Db;
import dev.hsi.support.Eventually;
import dev.hsi.support.ServerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The server process killed with {@code kill -9} while cameras upload, then started again on the same DATA_DIR. */
class KillNineTest {

    private static final int IMAGES = 80;
    private static final Duration SETTLE = Duration.ofSeconds(120);
    /** Each camera's pause between uploads: the kill then finds uploads in flight and jobs queued and in hand. */
    private static final Duration PACE = Duration.ofMillis(200);

    @TempDir
    Path root;

    @AfterEach
    void stopLeftovers() throws IOException {
        ServerProcess.stopLeftovers(root.resolve("data"));
        ServerProcess.keepLog(root.resolve("data"), "KillNineTest");
    }

    @Test
    @DisplayName("kill -9 mid-upload, then a restart on the same DATA_DIR: the dead JVM's PostgreSQL and Redis are"
            + " shut down cleanly, and every image ends with its detections or in the DLQ, none stored twice")
    void killNineMidUploadLosesAndDuplicatesNothing() throws Exception {
        Path dataDir = root.resolve("data");
        Path basePath = dataDir.resolve("foscam");
        List<Uploads.Image> images = Uploads.prepare(root.resolve("images"), IMAGES);

        ServerProcess first = ServerProcess.start(dataDir, Map.of());
        AtomicInteger confirmed = new AtomicInteger();
        CompletableFuture<List<Uploads.Image>> uploading = CompletableFuture.supplyAsync(() -> {
            try {
                return Uploads.upload(first.ftpPort(), images, 4, confirmed, PACE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Db firstDb = new Db(first.database());
        Eventually.await(Duration.ofSeconds(60), "half of the uploads confirmed and some detected", () ->
                confirmed.get() >= IMAGES / 2 && firstDb.count("SELECT count(DISTINCT file_path) FROM detections") >= 3);
        first.kill();
        List<Uploads.Image> resend = uploading.get(60, TimeUnit.SECONDS);
        assertThat(resend).as("uploads cut off by the kill").isNotEmpty();

        try (ServerProcess second = ServerProcess.start(dataDir, Map.of())) {
            assertThat(second.logText())
                    .as("the restart found the dead JVM's servers and stopped them")
                    .contains("PostgreSQL (pid").contains("Redis (pid")
                    .contains("left by an HSI process that ended without stopping it");
            // the cameras send again what was not confirmed, as cameras do
            try {
                Uploads.uploadAll(second.ftpPort(), resend, 4);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + second.logTail(), e);
            }

            Db db = new Db(second.database());
            try (Jedis redis = new Jedis("127.0.0.1", second.redisPort())) {
                Eventually.await(SETTLE, "every image stored or dead-lettered",
                        () -> Outcomes.read(db, redis).unfinished(images, basePath).isEmpty());
                Eventually.await(SETTLE, "the follow-up reconciliation and empty queues", () ->
                        second.logText().contains("Reconciliation (follow-up)")
                                && redis.llen("detection_queue") == 0 && redis.llen("analysis_queue") == 0
                                && Outcomes.read(db, redis).processing() == 0);
                Outcomes outcomes = Outcomes.read(db, redis);
                System.out.println("kill -9: " + outcomes.summary(images, basePath) + "; " + resend.size() + " resent");
                second.logText().lines().filter(line -> line.contains("Reconciliation (") || line.contains("Re-queued"))
                        .forEach(System.out::println);
                outcomes.assertEveryImageEndedOnce(images, basePath);
                Eventually.await(SETTLE, "an event for every detection", () -> db.count("SELECT count(*) FROM detections d"
                        + " WHERE NOT EXISTS (SELECT 1 FROM event_detections ed WHERE ed.detection_id = d.id)") == 0);
                assertThat(Outcomes.read(db, redis).detectionsInTwoEvents()).as("detections in two events").isEmpty();
            }
            assertThat(second.terminate(Duration.ofSeconds(60))).as("exit status after SIGTERM").isZero();
        }
    }
}
