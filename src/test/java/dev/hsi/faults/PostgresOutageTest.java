package dev.hsi.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.app.HsiServer;
import dev.hsi.infra.EmbeddedPostgresServer;
import dev.hsi.support.Api;
import dev.hsi.support.Db;
import dev.hsi.support.Eventually;
import dev.hsi.support.InFlight;
import dev.hsi.support.TestEnv;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** PostgreSQL stopped for 10 s while cameras upload. */
class PostgresOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final Duration SETTLE = Duration.ofSeconds(90);

    @TempDir
    Path root;

    @Test
    @DisplayName("PostgreSQL down for 10 s mid-run: the detect stage pauses with its jobs kept, /ready answers 503"
            + " naming the database and the paused stage, uploads keep landing, then everything completes and"
            + " nothing is dead-lettered")
    void databaseOutagePausesAndResumes() throws Exception {
        Path dataDir = root.resolve("data");
        Path basePath = dataDir.resolve("foscam");
        List<Uploads.Image> images = Uploads.prepare(root.resolve("images"), 40);
        List<Uploads.Image> before = images.subList(0, 20);
        List<Uploads.Image> during = images.subList(20, 40);
        try (HsiServer server = HsiServer.start(TestEnv.config(TestEnv.pipeline(dataDir)));
                Jedis redis = new Jedis(URI.create(server.redisUrl()))) {
            Api api = new Api(server.apiPort());
            Db db = new Db(server.database());
            Uploads.uploadAll(server.ftpPort(), before, 4);
            Eventually.await(SETTLE, "some images detected",
                    () -> db.count("SELECT count(DISTINCT file_path) FROM detections") >= 5);

            EmbeddedPostgresServer postgres = server.embeddedPostgres().orElseThrow();
            long stoppedAt = System.nanoTime();
            postgres.stop();
            Uploads.uploadAll(server.ftpPort(), during, 4);
            JsonObject notReady = Eventually.await(OUTAGE, "/ready to report the database down and detect paused", () -> {
                Api.Response ready = api.get("/ready");
                JsonObject body = ready.json();
                return ready.status() == 503 && body.getJsonObject("paused_stages").containsKey("detect") ? body : null;
            });
            assertThat(notReady.getJsonObject("services").getString("database")).startsWith("unhealthy");
            assertThat(notReady.getJsonObject("services").getString("redis")).isEqualTo("healthy");
            assertThat(notReady.getJsonObject("paused_stages").getJsonObject("detect").getJsonArray("waiting_for"))
                    .containsExactly("database");
            long waiting = redis.llen("detection_queue") + InFlight.count(redis, "detection_queue");
            assertThat(waiting).as("jobs waiting in Redis while the database is down").isPositive();
            Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - stoppedAt) / 1_000_000));
            assertThat(redis.llen("dlq:detection_queue")).as("dead-lettered during the outage").isZero();
            postgres.start();

            Eventually.await(SETTLE, "every image stored",
                    () -> Outcomes.read(db, redis).unfinished(images, basePath).isEmpty());
            Eventually.await(SETTLE, "empty queues", () -> redis.llen("detection_queue") == 0
                    && redis.llen("analysis_queue") == 0 && Outcomes.read(db, redis).processing() == 0);
            Outcomes outcomes = Outcomes.read(db, redis);
            System.out.println("PostgreSQL outage: " + outcomes.summary(images, basePath));
            outcomes.assertEveryImageEndedOnce(images, basePath);
            Eventually.await(SETTLE, "an event for every detection", () -> db.count("SELECT count(*) FROM detections d"
                    + " WHERE NOT EXISTS (SELECT 1 FROM event_detections ed WHERE ed.detection_id = d.id)") == 0);
            assertThat(Outcomes.read(db, redis).detectionsInTwoEvents()).as("detections in two events").isEmpty();
            assertThat(outcomes.deadLettered()).as("images dead-lettered").isEmpty();
            assertThat(redis.llen("dlq:analysis_queue")).as("analysis jobs dead-lettered").isZero();
            JsonObject ready = api.json("/ready");
            assertThat(ready.getBoolean("ready")).isTrue();
            assertThat(ready.getJsonObject("paused_stages")).isEmpty();
        }
    }
}
