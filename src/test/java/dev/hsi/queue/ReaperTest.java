package dev.hsi.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.bus.RedisKeys;
import dev.hsi.config.QueueConfig;
import dev.hsi.config.QueueConfig.OverflowPolicy;
import dev.hsi.infra.EmbeddedRedisServer;
import dev.hsi.support.Eventually;
import dev.hsi.support.InFlight;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Per-consumer processing lists, heartbeats and the {@link QueueReaper} against a real Redis. Two Vert.x instances
 * stand for two server processes sharing the Redis: {@code here} runs the consumers, {@code elsewhere} a reaper that
 * knows nothing of them but their heartbeats.
 */
class ReaperTest {

    private static final String QUEUE = "test_queue";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Consumers count as dead 3 s after their last heartbeat (renewed every second); reapers look every 200 ms. */
    private static final QueueConfig CONFIG = new QueueConfig(1000, OverflowPolicy.DLQ, 0.8, 10_000,
            Duration.ofSeconds(3), Duration.ofMillis(200));

    @TempDir
    Path redisDir;
    private EmbeddedRedisServer redisServer;
    private Vertx here;
    private Vertx elsewhere;
    private Jedis jedis;
    /** How often each job (by its number) ran in a consumer's handler. */
    private final Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        redisServer = EmbeddedRedisServer.start(redisDir);
        here = Vertx.vertx();
        elsewhere = Vertx.vertx();
        QueueBoard.of(here).useProbe(() -> Uni.createFrom().item(Set.of()));
        jedis = new Jedis("127.0.0.1", redisServer.port());
    }

    @AfterEach
    void stop() {
        jedis.close();
        here.closeAndAwait();
        elsewhere.closeAndAwait();
        redisServer.close();
    }

    @Test
    @DisplayName("Jobs stranded in a dead consumer's processing list go back to the head of the queue in claim order,"
            + " exactly once although two reapers run at the same moment; a consumer with a live heartbeat keeps its"
            + " jobs; each stranded job is then processed once")
    void strandedJobsAreRequeuedOnceAndProcessedOnce() {
        jedis.sadd(RedisKeys.consumers(QUEUE), "dead-1", "alive-1");
        jedis.rpush(RedisKeys.processing(QUEUE, "dead-1"), job(1), job(2));
        jedis.rpush(RedisKeys.processing(QUEUE, "alive-1"), job(9));
        jedis.psetex(RedisKeys.consumerHeartbeat(QUEUE, "alive-1"), 60_000, "alive");
        jedis.rpush(QUEUE, job(3));

        CompletableFuture<String> first = deployReaper(here, false);
        CompletableFuture<String> second = deployReaper(elsewhere, false);
        first.join();
        second.join();

        assertThat(jedis.lrange(QUEUE, 0, -1)).as("the queue after both start-up passes")
                .containsExactly(job(1), job(2), job(3));
        assertThat(jedis.exists(RedisKeys.processing(QUEUE, "dead-1"))).isFalse();
        assertThat(jedis.smembers(RedisKeys.consumers(QUEUE))).containsExactly("alive-1");
        assertThat(jedis.lrange(RedisKeys.processing(QUEUE, "alive-1"), 0, -1)).containsExactly(job(9));
        sleep(Duration.ofSeconds(1)); // several periodic passes of both reapers
        assertThat(jedis.lrange(QUEUE, 0, -1)).as("the queue after periodic passes")
                .containsExactly(job(1), job(2), job(3));

        QueueConsumer consumer = consumer();
        consumer.start();
        Eventually.await(WAIT, "the three jobs processed", () -> ranOnce(1, 2, 3) && jedis.llen(QUEUE) == 0
                && InFlight.jobs(jedis, QUEUE).equals(List.of(job(9))));
        sleep(Duration.ofSeconds(1));
        assertThat(runs.keySet()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(runs.values()).allSatisfy(count -> assertThat(count.get()).as("runs of a job").isEqualTo(1));
        consumer.stop();
    }

    @Test
    @DisplayName("A consumer's heartbeat keeps the job in its hand from another process's reaper for longer than the"
            + " timeout; once the consumer dies (no more heartbeats) the job goes back after the timeout and another"
            + " consumer processes it once")
    void heartbeatProtectsLiveConsumersAndExpiryReleasesDeadOnes() {
        deployReaper(elsewhere, false).join();
        AtomicInteger started = new AtomicInteger();
        QueueConsumer stuck = new QueueConsumer(here, client(here), new WorkQueue(RedisAPI.api(client(here)), QUEUE,
                CONFIG), 1, JobHandler.oneByOne(job -> {
                    started.incrementAndGet();
                    return Uni.createFrom().nothing();
                }));
        stuck.start();
        jedis.rpush(QUEUE, job(1));
        Eventually.await(WAIT, "the job in hand", () -> started.get() == 1);
        String stuckId = jedis.smembers(RedisKeys.consumers(QUEUE)).iterator().next();

        sleep(CONFIG.consumerTimeout().plusSeconds(1));
        assertThat(jedis.lrange(RedisKeys.processing(QUEUE, stuckId), 0, -1)).as("the live consumer's list")
                .containsExactly(job(1));
        assertThat(jedis.llen(QUEUE)).isZero();

        stuck.stop();
        QueueConsumer healthy = consumer();
        healthy.start();
        Eventually.await(WAIT, "the job processed by the other consumer", () -> ranOnce(1)
                && InFlight.count(jedis, QUEUE) == 0);
        sleep(Duration.ofSeconds(1));
        assertThat(runs.get(1).get()).as("runs by the healthy consumer").isEqualTo(1);
        assertThat(started.get()).as("runs by the stuck consumer").isEqualTo(1);
        assertThat(jedis.smembers(RedisKeys.consumers(QUEUE))).doesNotContain(stuckId);
        healthy.stop();
    }

    @Test
    @DisplayName("A claiming connection that drops: the consumer claims into a new slot, and a job that a lost claim"
            + " reply left in the slot it left goes back to the queue and is processed once")
    void jobOfALostClaimReplyIsTakenBack() {
        deployReaper(elsewhere, false).join();
        QueueConsumer consumer = consumer();
        consumer.start();
        String oldId = Eventually.await(WAIT, "the consumer registered", () -> {
            Set<String> ids = jedis.smembers(RedisKeys.consumers(QUEUE));
            return ids.size() == 1 ? ids.iterator().next() : null;
        });
        String blocked = Eventually.await(WAIT, "the consumer blocked in BLMOVE", () -> jedis.clientList().lines()
                .filter(line -> line.contains("cmd=blmove")).findFirst().orElse(null));
        jedis.clientKill(ClientKillParams.clientKillParams().id(field(blocked, "id")));
        Eventually.await(WAIT, "a new slot", () -> jedis.smembers(RedisKeys.consumers(QUEUE)).stream()
                .anyMatch(id -> !id.equals(oldId)));

        // what a claim whose reply was lost leaves behind: the job in the old slot's list, in no one's hand
        jedis.rpush(RedisKeys.processing(QUEUE, oldId), job(7));
        Eventually.await(WAIT, "the job processed", () -> ranOnce(7) && InFlight.count(jedis, QUEUE) == 0);
        sleep(Duration.ofSeconds(1));
        assertThat(runs.get(7).get()).as("runs").isEqualTo(1);
        assertThat(jedis.smembers(RedisKeys.consumers(QUEUE))).doesNotContain(oldId);
        jedis.rpush(QUEUE, job(8));
        Eventually.await(WAIT, "the consumer still claims", () -> ranOnce(8));
        consumer.stop();
    }

    @Test
    @DisplayName("At start the single processing list of earlier versions goes back to the queue; with a Redis of its"
            + " own the reaper also takes back every consumer's list, live heartbeat or not, registered or not")
    void startUpPass() {
        jedis.rpush(RedisKeys.legacyProcessing(QUEUE), job(1));
        jedis.sadd(RedisKeys.consumers(QUEUE), "old-1");
        jedis.psetex(RedisKeys.consumerHeartbeat(QUEUE, "old-1"), 60_000, "alive");
        jedis.rpush(RedisKeys.processing(QUEUE, "old-1"), job(2));
        jedis.rpush(RedisKeys.processing(QUEUE, "unregistered-1"), job(3));

        String shared = deployReaper(elsewhere, false).join();
        assertThat(jedis.lrange(QUEUE, 0, -1)).as("shared Redis: only the old list").containsExactly(job(1));
        assertThat(InFlight.jobs(jedis, QUEUE)).containsExactlyInAnyOrder(job(2), job(3));
        elsewhere.undeployAndAwait(shared);

        deployReaper(here, true).join();
        assertThat(jedis.lrange(QUEUE, 0, -1)).as("own Redis: everything")
                .containsExactlyInAnyOrder(job(1), job(2), job(3));
        assertThat(InFlight.jobs(jedis, QUEUE)).isEmpty();
        assertThat(jedis.exists(RedisKeys.consumers(QUEUE))).isFalse();
    }

    private CompletableFuture<String> deployReaper(Vertx vertx, boolean ownsRedis) {
        RedisAPI redis = RedisAPI.api(client(vertx));
        return vertx.deployVerticle(new QueueReaper(redis, List.of(QUEUE), CONFIG, ownsRedis))
                .subscribeAsCompletionStage();
    }

    private QueueConsumer consumer() {
        Redis client = client(here);
        return new QueueConsumer(here, client, new WorkQueue(RedisAPI.api(client), QUEUE, CONFIG), 1,
                JobHandler.oneByOne(job -> {
                    int n = new JsonObject(job).getInteger("n");
                    runs.computeIfAbsent(n, key -> new AtomicInteger()).incrementAndGet();
                    return Uni.createFrom().voidItem();
                }));
    }

    private Redis client(Vertx vertx) {
        return Redis.createClient(vertx, new RedisOptions().setConnectionString(redisServer.url()).setMaxPoolSize(8));
    }

    private boolean ranOnce(int... jobs) {
        List<Integer> missing = new ArrayList<>();
        for (int n : jobs) {
            AtomicInteger count = runs.get(n);
            if (count == null || count.get() != 1) {
                missing.add(n);
            }
        }
        return missing.isEmpty();
    }

    private static String field(String clientListLine, String name) {
        for (String part : clientListLine.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalArgumentException("no " + name + " in " + clientListLine);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String job(int n) {
        return new JsonObject().put("n", n).encode();
    }
}
