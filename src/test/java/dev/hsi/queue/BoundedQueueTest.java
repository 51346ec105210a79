package dev.hsi.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hsi.bus.RedisKeys;
import dev.hsi.config.AppConfig;
import dev.hsi.config.ConfigException;
import dev.hsi.config.QueueConfig;
import dev.hsi.config.QueueConfig.OverflowPolicy;
import dev.hsi.infra.EmbeddedServers;
import dev.hsi.queue.WorkQueue.PushResult;
import dev.hsi.queue.WorkQueue.PushResult.Outcome;
import dev.hsi.support.LogCapture;
import io.smallrye.mutiny.Multi;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

/** {@link WorkQueue#push} against a real (embedded) Redis: each overflow policy, the warning, memory use. */
class BoundedQueueTest {

    private static final String QUEUE = RedisKeys.DETECTION_QUEUE;
    private static final String DLQ = RedisKeys.deadLetter(QUEUE);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path redisDir;

    private static RedisServer redisServer;
    private static Vertx vertx;
    private static RedisAPI redis;

    @BeforeAll
    static void start() {
        redisServer = EmbeddedServers.startRedis(redisDir);
        vertx = Vertx.vertx();
        redis = RedisAPI.api(Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(EmbeddedServers.redisUrl(redisServer))
                .setMaxPoolSize(16).setMaxPoolWaiting(1024)));
    }

    @AfterAll
    static void stop() throws IOException {
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (redisServer != null) {
            redisServer.stop();
        }
    }

    @BeforeEach
    void emptyRedis() {
        redis.flushall(List.of()).await().atMost(WAIT);
    }

    @Test
    @DisplayName("dlq: a push onto a full queue puts the new job in dlq:<queue> with error 'queue full'; the queue keeps the first jobs")
    void dlqPolicyDeadLettersTheNewJob() {
        WorkQueue queue = queue(3, OverflowPolicy.DLQ);

        List<PushResult> results = pushAll(queue, 5);

        assertThat(results).containsExactly(
                new PushResult(Outcome.QUEUED, 1), new PushResult(Outcome.QUEUED, 2), new PushResult(Outcome.QUEUED, 3),
                new PushResult(Outcome.DEAD_LETTERED, 3), new PushResult(Outcome.DEAD_LETTERED, 3));
        assertThat(jobNumbers(list(QUEUE))).containsExactly(0, 1, 2);
        List<JsonObject> dead = entries(DLQ);
        assertThat(dead).hasSize(2);
        assertThat(dead).extracting(entry -> entry.getJsonObject("original_job")).containsExactly(job(3), job(4));
        for (JsonObject entry : dead) {
            assertThat(entry.fieldNames()).containsExactly("original_job", "error", "attempt_count",
                    "first_failed_at", "last_failed_at", "queue_name", "total_attempts");
            assertThat(entry.getString("error")).isEqualTo("queue full");
            assertThat(entry.getInteger("attempt_count")).as("retries of a job that never ran").isZero();
            assertThat(entry.getInteger("total_attempts")).as("runs of a job that never ran").isZero();
            assertThat(entry.getString("queue_name")).isEqualTo(QUEUE);
            assertThat(Instant.parse(entry.getString("first_failed_at"))).isBeforeOrEqualTo(Instant.now());
            assertThat(entry.getString("last_failed_at")).isEqualTo(entry.getString("first_failed_at"));
        }
    }

    @Test
    @DisplayName("reject: a push onto a full queue stores the job nowhere and says so")
    void rejectPolicyRefusesTheNewJob() {
        WorkQueue queue = queue(3, OverflowPolicy.REJECT);

        List<PushResult> results = pushAll(queue, 5);

        assertThat(results).extracting(PushResult::outcome).containsExactly(
                Outcome.QUEUED, Outcome.QUEUED, Outcome.QUEUED, Outcome.REJECTED, Outcome.REJECTED);
        assertThat(results.get(4).depth()).isEqualTo(3);
        assertThat(results).extracting(PushResult::queued).containsExactly(true, true, true, false, false);
        assertThat(jobNumbers(list(QUEUE))).containsExactly(0, 1, 2);
        assertThat(list(DLQ)).isEmpty();
    }

    @Test
    @DisplayName("pushUnlessSeen: the first push of a content marks it and queues it in one step; the second is a duplicate")
    void pushUnlessSeenQueuesOnce() {
        WorkQueue queue = queue(10, OverflowPolicy.DLQ);
        String key = RedisKeys.dedupe("abc123");

        PushResult first = queue.pushUnlessSeen(job(0), key, "/cams/front_door/0.jpg", 60).await().atMost(WAIT);
        PushResult second = queue.pushUnlessSeen(job(1), key, "/cams/front_door/1.jpg", 60).await().atMost(WAIT);

        assertThat(first.outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(second.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(second.queued()).isFalse();
        assertThat(second.overflowed()).isFalse();
        assertThat(jobNumbers(list(QUEUE))).containsExactly(0);
        assertThat(redis.get(key).await().atMost(WAIT).toString()).isEqualTo("/cams/front_door/0.jpg");
        assertThat(redis.ttl(key).await().atMost(WAIT).toLong()).isBetween(1L, 60L);
    }

    @Test
    @DisplayName("pushUnlessSeen on a full queue: reject leaves the content unmarked (it may come again), dlq keeps the mark")
    void pushUnlessSeenOnAFullQueue() {
        WorkQueue rejecting = queue(1, OverflowPolicy.REJECT);
        push(rejecting, job(0));
        String refusedKey = RedisKeys.dedupe("refused");
        assertThat(rejecting.pushUnlessSeen(job(1), refusedKey, "/cams/front_door/1.jpg", 60).await().atMost(WAIT)
                .outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(redis.exists(List.of(refusedKey)).await().atMost(WAIT).toInteger()).isZero();

        WorkQueue deadLettering = queue(1, OverflowPolicy.DLQ);
        String deadKey = RedisKeys.dedupe("dead-lettered");
        assertThat(deadLettering.pushUnlessSeen(job(2), deadKey, "/cams/front_door/2.jpg", 60).await().atMost(WAIT)
                .outcome()).isEqualTo(Outcome.DEAD_LETTERED);
        assertThat(redis.exists(List.of(deadKey)).await().atMost(WAIT).toInteger()).isEqualTo(1);
        assertThat(jobNumbers(list(QUEUE))).containsExactly(0);
        assertThat(list(DLQ)).hasSize(1);
    }

    @Test
    @DisplayName("drop_oldest: a push onto a full queue moves the oldest waiting job to the DLQ with its reason and queues the new one")
    void dropOldestPolicyMovesTheOldestToTheDlq() {
        WorkQueue queue = queue(3, OverflowPolicy.DROP_OLDEST);

        List<PushResult> results = pushAll(queue, 5);

        assertThat(results).extracting(PushResult::outcome).containsExactly(
                Outcome.QUEUED, Outcome.QUEUED, Outcome.QUEUED, Outcome.DROPPED_OLDEST, Outcome.DROPPED_OLDEST);
        assertThat(results.get(4)).isEqualTo(new PushResult(Outcome.DROPPED_OLDEST, 3));
        assertThat(results.get(4).queued()).isTrue();
        assertThat(jobNumbers(list(QUEUE))).containsExactly(2, 3, 4);
        List<JsonObject> dead = entries(DLQ);
        assertThat(dead).extracting(entry -> entry.getJsonObject("original_job")).containsExactly(job(0), job(1));
        assertThat(dead).allSatisfy(entry -> {
            assertThat(entry.getString("error")).startsWith("queue full: dropped as the oldest waiting job");
            assertThat(entry.getString("queue_name")).isEqualTo(QUEUE);
            assertThat(entry.getInteger("attempt_count")).isZero();
            assertThat(entry.getInteger("total_attempts")).isZero();
        });
    }

    @Test
    @DisplayName("A dead-lettered job keeps its JSON byte for byte (numbers are not re-encoded by Lua)")
    void deadLetteredJobKeepsItsExactJson() {
        WorkQueue queue = queue(1, OverflowPolicy.DLQ);
        JsonObject precise = new JsonObject().put("file_path", "/srv/cam/a b/ü.jpg").put("pipeline_start_time",
                1767225600.123456).put("big", 9007199254740993L).put("tags", new io.vertx.core.json.JsonArray());

        push(queue, job(0));
        assertThat(push(queue, precise).outcome()).isEqualTo(Outcome.DEAD_LETTERED);

        String entry = list(DLQ).get(0);
        assertThat(entry).startsWith("{\"original_job\":" + precise.encode() + ",");
        assertThat(new JsonObject(entry).getJsonObject("original_job")).isEqualTo(precise);
    }

    @Test
    @DisplayName("Concurrent pushes never overshoot the maximum: exactly max queued, the rest dead-lettered")
    void concurrentPushesRespectTheBound() {
        WorkQueue queue = queue(50, OverflowPolicy.DLQ);

        Map<Outcome, Long> counts = pushConcurrently(queue, 400, 64, 0);

        assertThat(counts.get(Outcome.QUEUED)).isEqualTo(50);
        assertThat(counts.get(Outcome.DEAD_LETTERED)).isEqualTo(350);
        assertThat(length(QUEUE)).isEqualTo(50);
        assertThat(length(DLQ)).isEqualTo(350);
    }

    @Test
    @DisplayName("The back-pressure warning is logged once when the depth reaches the threshold, not on every push after it")
    void backPressureWarningOncePerCrossing() {
        WorkQueue queue = queue(10, OverflowPolicy.DLQ);
        try (LogCapture log = new LogCapture(WorkQueue.class)) {
            pushAll(queue, 7);
            assertThat(log.messagesContaining("Back-pressure")).isEmpty();

            push(queue, job(7));
            assertThat(log.messagesContaining("Back-pressure")).singleElement().asString()
                    .contains("queue detection_queue holds 8 of at most 10 jobs (80 %)");

            pushAll(queue, 20);
            assertThat(log.messagesContaining("Back-pressure")).hasSize(1);
            assertThat(log.messagesContaining("is full")).singleElement().asString()
                    .contains("overflow policy dlq");
        }
    }

    @Test
    @DisplayName("The warning is armed again once the queue has drained below the threshold, and fires on the next crossing")
    void backPressureWarningRearmsAfterDraining() {
        WorkQueue queue = queue(10, OverflowPolicy.DLQ);
        try (LogCapture log = new LogCapture(WorkQueue.class)) {
            pushAll(queue, 9);
            redis.ltrim(QUEUE, "0", "4").await().atMost(WAIT);
            push(queue, job(100));
            assertThat(log.messagesContaining("Back-pressure")).hasSize(1);

            pushAll(queue, 2);
            assertThat(log.messagesContaining("Back-pressure")).hasSize(2);
        }
    }

    @Test
    @DisplayName("Pushing 50,000 jobs of 1 KB into a full queue leaves the heap flat: nothing is kept in memory")
    void heapStaysFlatWhenAFullQueueOverflows() {
        WorkQueue queue = queue(100, OverflowPolicy.DLQ);
        pushConcurrently(queue, 5_000, 64, 1024);
        long before = usedHeapAfterGc();

        Map<Outcome, Long> counts = pushConcurrently(queue, 50_000, 64, 1024);

        long grown = usedHeapAfterGc() - before;
        assertThat(counts.get(Outcome.DEAD_LETTERED)).isEqualTo(50_000);
        assertThat(length(QUEUE)).isEqualTo(100);
        // 50,000 retained jobs would be over 50 MB; the bound leaves room for GC noise and JIT/class metadata
        assertThat(grown).as("heap growth in bytes").isLessThan(16L * 1024 * 1024);
    }

    @Test
    @DisplayName("QUEUE_MAX_SIZE, QUEUE_OVERFLOW_POLICY, QUEUE_BACKPRESSURE_THRESHOLD, MAX_REQUEUE_ITERATIONS,"
            + " QUEUE_CONSUMER_TIMEOUT_SECONDS and QUEUE_REAPER_INTERVAL_SECONDS default to 10000, dlq, 0.8, 10000, 30 s"
            + " and 10 s, and can be set")
    void configDefaultsAndOverrides() {
        QueueConfig defaults = AppConfig.fromEnv(Map.of()).queue();
        assertThat(defaults).isEqualTo(new QueueConfig(10_000, OverflowPolicy.DLQ, 0.8, 10_000,
                Duration.ofSeconds(30), Duration.ofSeconds(10)));
        assertThat(defaults.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        QueueConfig set = AppConfig.fromEnv(Map.of("QUEUE_MAX_SIZE", "50", "QUEUE_OVERFLOW_POLICY", "drop_oldest",
                "QUEUE_BACKPRESSURE_THRESHOLD", "0.5", "MAX_REQUEUE_ITERATIONS", "250",
                "QUEUE_CONSUMER_TIMEOUT_SECONDS", "6", "QUEUE_REAPER_INTERVAL_SECONDS", "0.5")).queue();
        assertThat(set).isEqualTo(new QueueConfig(50, OverflowPolicy.DROP_OLDEST, 0.5, 250, Duration.ofSeconds(6),
                Duration.ofMillis(500)));
        assertThat(set.backpressureDepth()).isEqualTo(25);
        assertThat(set.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    @DisplayName("A consumer timeout under 3 s (a live consumer could be taken for dead) and a requeue cap under 1 are"
            + " reported by name")
    void badDeliverySettingsAreReported() {
        Throwable error = catchThrowable(() -> AppConfig.fromEnv(Map.of("QUEUE_CONSUMER_TIMEOUT_SECONDS", "1",
                "MAX_REQUEUE_ITERATIONS", "0", "QUEUE_REAPER_INTERVAL_SECONDS", "0")));

        assertThat(error).isInstanceOf(ConfigException.class)
                .hasMessageContaining("QUEUE_CONSUMER_TIMEOUT_SECONDS must be between 3")
                .hasMessageContaining("MAX_REQUEUE_ITERATIONS must be between 1")
                .hasMessageContaining("QUEUE_REAPER_INTERVAL_SECONDS must be between 0.1");
    }

    @Test
    @DisplayName("An unknown QUEUE_OVERFLOW_POLICY is reported with the accepted values")
    void unknownPolicyIsReported() {
        Throwable error = catchThrowable(() -> AppConfig.fromEnv(Map.of("QUEUE_OVERFLOW_POLICY", "block")));

        assertThat(error).isInstanceOf(ConfigException.class)
                .hasMessageContaining("QUEUE_OVERFLOW_POLICY must be one of dlq, reject, drop_oldest; got 'block'");
    }

    private static WorkQueue queue(int maxSize, OverflowPolicy policy) {
        return new WorkQueue(redis, QUEUE, new QueueConfig(maxSize, policy, 0.8));
    }

    private static JsonObject job(int n) {
        return new JsonObject().put("camera_id", "front_door").put("file_path", "/cams/front_door/" + n + ".jpg")
                .put("n", n);
    }

    private static PushResult push(WorkQueue queue, JsonObject job) {
        return queue.push(job).await().atMost(WAIT);
    }

    /** Pushes jobs 0..count-1 one after another. */
    private static List<PushResult> pushAll(WorkQueue queue, int count) {
        List<PushResult> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(push(queue, job(i)));
        }
        return results;
    }

    /** Pushes {@code count} jobs, {@code concurrency} at a time, counting outcomes without keeping the results. */
    private static Map<Outcome, Long> pushConcurrently(WorkQueue queue, int count, int concurrency, int padding) {
        String pad = "x".repeat(padding);
        return Multi.createFrom().range(0, count)
                .onItem().transformToUni(i -> queue.push(job(i).put("pad", pad))).merge(concurrency)
                .collect().in(() -> new EnumMap<Outcome, Long>(Outcome.class),
                        (counts, pushed) -> counts.merge(pushed.outcome(), 1L, Long::sum))
                .await().atMost(Duration.ofMinutes(3));
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

    private static List<String> list(String key) {
        Response range = redis.lrange(key, "0", "-1").await().atMost(WAIT);
        List<String> items = new ArrayList<>();
        range.forEach(item -> items.add(item.toString()));
        return items;
    }

    private static List<JsonObject> entries(String key) {
        return list(key).stream().map(JsonObject::new).toList();
    }

    private static List<Integer> jobNumbers(List<String> jobs) {
        return jobs.stream().map(job -> new JsonObject(job).getInteger("n")).toList();
    }

    private static long length(String key) {
        return redis.llen(key).await().atMost(WAIT).toLong();
    }
}
