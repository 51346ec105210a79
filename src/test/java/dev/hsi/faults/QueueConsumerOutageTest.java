package dev.hsi.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.infra.EmbeddedRedisServer;
import dev.hsi.queue.JobHandler;
import dev.hsi.queue.QueueBoard;
import dev.hsi.queue.QueueConsumer;
import dev.hsi.queue.WorkQueue;
import dev.hsi.support.Eventually;
import dev.hsi.support.InFlight;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The queue consumer against a real Redis, with a health probe the test controls. */
class QueueConsumerOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String QUEUE = "test_queue";

    @TempDir
    Path redisDir;
    private EmbeddedRedisServer redisServer;
    private Vertx vertx;
    private Redis client;
    private Jedis jedis;
    private final AtomicReference<Set<String>> down = new AtomicReference<>(Set.of());

    @BeforeEach
    void start() {
        redisServer = EmbeddedRedisServer.start(redisDir);
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisServer.url()));
        QueueBoard.of(vertx).useProbe(() -> Uni.createFrom().item(down.get()));
        jedis = new Jedis("127.0.0.1", redisServer.port());
    }

    @AfterEach
    void stop() {
        jedis.close();
        vertx.closeAndAwait();
        redisServer.close();
    }

    @Test
    @DisplayName("A job failing while the probe finds the database down pauses its queue (reported on the board): it"
            + " stays in processing without retries or counted attempts, runs again once the database answers, and is"
            + " never dead-lettered")
    void outagePausesWithoutCountingAttempts() {
        AtomicInteger runs = new AtomicInteger();
        down.set(Set.of("database"));
        QueueConsumer consumer = consumer(JobHandler.oneByOne(job -> {
            runs.incrementAndGet();
            return down.get().isEmpty()
                    ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(new ConnectException("Connection refused"));
        }));
        consumer.start();
        jedis.rpush(QUEUE, job(1));

        Eventually.await(WAIT, "the queue paused", () -> QueueBoard.of(vertx).pausedQueues().containsKey(QUEUE));
        assertThat(QueueBoard.of(vertx).pausedQueues().get(QUEUE).down()).containsExactly("database");
        // a counted failure would run again after about 1 s; a paused job waits for the probe instead
        sleep(Duration.ofMillis(2500));
        assertThat(runs.get()).as("runs during the outage").isEqualTo(1);
        assertThat(InFlight.jobs(jedis, QUEUE)).as("the job stays in processing").containsExactly(job(1));

        down.set(Set.of());
        Eventually.await(WAIT, "the job acknowledged", () -> InFlight.count(jedis, QUEUE) == 0);
        assertThat(runs.get()).as("runs in all").isEqualTo(2);
        assertThat(jedis.llen("dlq:" + QUEUE)).as("dead-lettered").isZero();
        assertThat(QueueBoard.of(vertx).pausedQueues()).as("paused queues after recovery").isEmpty();
        consumer.stop();
    }

    @Test
    @DisplayName("A drain hands a job that does not finish within the deadline back to the head of its queue, and the"
            + " job's late completion acknowledges nothing")
    void drainHandsBackUnfinishedJobs() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        AtomicInteger started = new AtomicInteger();
        QueueConsumer consumer = consumer(JobHandler.oneByOne(job -> {
            started.incrementAndGet();
            return Uni.createFrom().completionStage(release);
        }));
        consumer.start();
        jedis.rpush(QUEUE, job(1), job(2));
        Eventually.await(WAIT, "the first job in hand", () -> started.get() == 1);

        consumer.drain(Duration.ofMillis(200)).await().atMost(WAIT);
        assertThat(jedis.lrange(QUEUE, 0, -1)).as("the queue after the drain").containsExactly(job(1), job(2));
        assertThat(InFlight.jobs(jedis, QUEUE)).as("jobs left in processing").isEmpty();

        release.complete(null);
        sleep(Duration.ofMillis(300));
        assertThat(jedis.lrange(QUEUE, 0, -1)).as("the queue after the late completion").containsExactly(job(1), job(2));
        assertThat(jedis.llen("dlq:" + QUEUE)).isZero();
    }

    private QueueConsumer consumer(JobHandler handler) {
        return new QueueConsumer(vertx, client, new WorkQueue(RedisAPI.api(client), QUEUE),
                1, handler);
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
