package dev.hsi.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.bus.RedisKeys;
import dev.hsi.infra.EmbeddedRedisServer;
import dev.hsi.queue.QueueBoard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** Reconciliation's view of the queues against a real Redis: what counts as queued, in flight or dead-lettered. */
class QueueSnapshotTest {

    @TempDir
    Path redisDir;

    @Test
    @DisplayName("Jobs in any consumer's processing list (live or dead), in the old single processing list and in"
            + " the queue count as pending; DLQ entries count as known but not pending; analysis jobs name their"
            + " detections")
    void snapshotSeesEveryList() {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRedisServer server = EmbeddedRedisServer.start(redisDir);
                Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            String detection = RedisKeys.DETECTION_QUEUE;
            jedis.rpush(detection, job("/f/waiting.jpg"));
            jedis.rpush(RedisKeys.legacyProcessing(detection), job("/f/legacy.jpg"));
            jedis.sadd(RedisKeys.consumers(detection), "dead-1", "live-1");
            jedis.rpush(RedisKeys.processing(detection, "dead-1"), job("/f/stranded.jpg"));
            jedis.rpush(RedisKeys.processing(detection, "live-1"), job("/f/claimed.jpg"));
            jedis.psetex(RedisKeys.consumerHeartbeat(detection, "live-1"), 60_000, "alive");
            jedis.rpush(RedisKeys.deadLetter(detection), new JsonObject().put("original_job",
                    new JsonObject(job("/f/dead.jpg"))).put("error", "corrupt").encode());
            String analysis = RedisKeys.ANALYSIS_QUEUE;
            jedis.sadd(RedisKeys.consumers(analysis), "dead-2");
            jedis.rpush(RedisKeys.processing(analysis, "dead-2"), new JsonObject().put("batch_id", "b1")
                    .put("detection_ids", new JsonArray().add(41).add(42)).encode());

            RedisAPI redis = RedisAPI.api(Redis.createClient(vertx,
                    new RedisOptions().setConnectionString(server.url())));
            QueueSnapshot snapshot = QueueSnapshot.take(redis, QueueBoard.of(vertx))
                    .await().atMost(Duration.ofSeconds(10));

            assertThat(snapshot.pendingDetectionFiles()).containsExactlyInAnyOrder(
                    "/f/waiting.jpg", "/f/legacy.jpg", "/f/stranded.jpg", "/f/claimed.jpg");
            assertThat(snapshot.detectionFiles()).containsExactlyInAnyOrder(
                    "/f/waiting.jpg", "/f/legacy.jpg", "/f/stranded.jpg", "/f/claimed.jpg", "/f/dead.jpg");
            assertThat(snapshot.detectionContent()).contains("hash-of-/f/stranded.jpg");
            assertThat(snapshot.analysedDetections()).containsExactlyInAnyOrder(41L, 42L);
        } finally {
            vertx.closeAndAwait();
        }
    }

    private static String job(String path) {
        return new JsonObject().put("camera_id", "cam").put("file_path", path).put("file_hash", "hash-of-" + path)
                .encode();
    }
}
