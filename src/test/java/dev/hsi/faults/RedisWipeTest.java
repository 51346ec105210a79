package dev.hsi.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.app.HsiServer;
import dev.hsi.infra.EmbeddedRedisServer;
import dev.hsi.support.Db;
import dev.hsi.support.Eventually;
import dev.hsi.support.LogCapture;
import dev.hsi.support.TestEnv;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** Redis restarted with its data wiped while cameras upload: every queue, batch and dedupe key is gone. */
class RedisWipeTest {

    private static final Duration SETTLE = Duration.ofSeconds(90);

    @TempDir
    Path root;

    @Test
    @DisplayName("Redis restarted empty mid-run: reconciliation queues again every upload that has no detections,"
            + " closes the lost batches from PostgreSQL, and every image ends stored or dead-lettered, none twice")
    void wipedRedisIsReconciled() throws Exception {
        Path dataDir = root.resolve("data");
        Path basePath = dataDir.resolve("foscam");
        List<Uploads.Image> images = Uploads.prepare(root.resolve("images"), 60);
        try (HsiServer server = HsiServer.start(TestEnv.config(TestEnv.pipeline(dataDir)));
                LogCapture reconciler = new LogCapture(Class.forName("dev.hsi.recovery.Reconciler"))) {
            Db db = new Db(server.database());
            Uploads.uploadAll(server.ftpPort(), images.subList(0, 30), 4);
            Eventually.await(SETTLE, "some images detected",
                    () -> db.count("SELECT count(DISTINCT file_path) FROM detections") >= 5);

            AtomicInteger confirmed = new AtomicInteger();
            CompletableFuture<List<Uploads.Image>> uploading = CompletableFuture.supplyAsync(() -> {
                try {
                    return Uploads.upload(server.ftpPort(), images.subList(30, 60), 2, confirmed);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            EmbeddedRedisServer redisServer = server.embeddedRedis().orElseThrow();
            redisServer.stop();
            redisServer.wipeData();
            Thread.sleep(500);
            redisServer.start();
            assertThat(uploading.get(60, TimeUnit.SECONDS)).as("uploads refused (FTP does not need Redis)").isEmpty();

            try (Jedis redis = new Jedis(URI.create(server.redisUrl()))) {
                Eventually.await(SETTLE, "every image stored or dead-lettered",
                        () -> Outcomes.read(db, redis).unfinished(images, basePath).isEmpty());
                Eventually.await(SETTLE, "the follow-up reconciliation and empty queues", () ->
                        reconciler.messages().stream().anyMatch(m -> m.startsWith("Reconciliation (follow-up)"))
                                && redis.llen("detection_queue") == 0 && redis.llen("analysis_queue") == 0
                                && Outcomes.read(db, redis).processing() == 0);
                Outcomes outcomes = Outcomes.read(db, redis);
                System.out.println("Redis wiped: " + outcomes.summary(images, basePath));
                reconciler.messages().stream().filter(m -> m.startsWith("Reconciliation (")).forEach(System.out::println);
                assertThat(reconciler.messages()).as("reconciliation noticed the empty Redis")
                        .anyMatch(m -> m.startsWith("Reconciliation (Redis came back empty)"));
                outcomes.assertEveryImageEndedOnce(images, basePath);
                // batches still open close within the batch window; lost ones were closed by reconciliation
                Eventually.await(SETTLE, "an event for every detection", () -> db.count("SELECT count(*) FROM detections d"
                        + " WHERE NOT EXISTS (SELECT 1 FROM event_detections ed WHERE ed.detection_id = d.id)") == 0);
                assertThat(Outcomes.read(db, redis).detectionsInTwoEvents()).as("detections in two events").isEmpty();
            }
        }
    }
}
