package dev.hsi.queue;

import dev.hsi.bus.InvalidMessageException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.RedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer loop over a {@link WorkQueue}: claim a job, run the handler, acknowledge it. A loop handles one job
 * at a time, so the number of loops bounds the work in flight (back-pressure: jobs stay in Redis, not in memory).
 * Transient failures are retried three times with 1 s, 2 s, 4 s back-off plus jitter; then, or at once for a
 * {@link PermanentFailure} or a malformed payload, the job goes to the dead-letter queue.
 */
public final class QueueConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
    private static final int CLAIM_TIMEOUT_SECONDS = 1;
    /** The first try and three retries. */
    private static final int MAX_ATTEMPTS = 4;
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final Redis redisClient;
    private final WorkQueue queue;
    private final Function<String, Uni<Void>> handler;
    private volatile boolean running;
    private RedisConnection connection;

    public QueueConsumer(Vertx vertx, Redis redisClient, WorkQueue queue, Function<String, Uni<Void>> handler) {
        this.vertx = vertx;
        this.redisClient = redisClient;
        this.queue = queue;
        this.handler = handler;
    }

    public void start() {
        running = true;
        connectAndLoop();
    }

    public void stop() {
        running = false;
        if (connection != null) {
            connection.closeAndForget();
        }
    }

    private void connectAndLoop() {
        if (!running) {
            return;
        }
        redisClient.connect().subscribe().with(
                conn -> {
                    connection = conn;
                    loop(RedisAPI.api(conn));
                },
                failure -> retryConnectLater(failure));
    }

    private void retryConnectLater(Throwable failure) {
        LOG.warn("Queue {}: cannot reach Redis ({}), retrying in {} s",
                queue.name(), failure.getMessage(), RECONNECT_DELAY.toSeconds());
        vertx.setTimer(RECONNECT_DELAY.toMillis(), id -> connectAndLoop());
    }

    private void loop(RedisAPI blocking) {
        if (!running) {
            return;
        }
        queue.claim(blocking, CLAIM_TIMEOUT_SECONDS)
                .flatMap(job -> job == null ? Uni.createFrom().voidItem() : process(job))
                .subscribe().with(
                        done -> loop(blocking),
                        failure -> {
                            if (running) {
                                connection.closeAndForget();
                                retryConnectLater(failure);
                            }
                        });
    }

    private Uni<Void> process(String job) {
        return attempt(job, 1, Instant.now());
    }

    private Uni<Void> attempt(String job, int attempt, Instant firstAttempt) {
        return Uni.createFrom().deferred(() -> handler.apply(job))
                .onItem().transformToUni(done -> queue.ack(job))
                .onFailure().recoverWithUni(failure -> {
                    if (isTransient(failure) && attempt < MAX_ATTEMPTS) {
                        Duration delay = backOff(attempt);
                        LOG.warn("Queue {}: attempt {} failed ({}), retrying in {} ms",
                                queue.name(), attempt, failure.getMessage(), delay.toMillis());
                        return Timers.delay(vertx, delay)
                                .onItem().transformToUni(ignored -> attempt(job, attempt + 1, firstAttempt));
                    }
                    LOG.error("Queue {}: job dead-lettered after {} attempt(s): {} (job {})",
                            queue.name(), attempt, failure.getMessage(), job);
                    return queue.deadLetter(job, describe(failure), attempt, firstAttempt);
                });
    }

    /** 1 s, 2 s, 4 s, plus up to 25 % jitter so that retries of many jobs do not arrive together. */
    private static Duration backOff(int attempt) {
        long base = 1000L << (attempt - 1);
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 4 + 1));
    }

    private static boolean isTransient(Throwable failure) {
        return !(failure instanceof PermanentFailure) && !(failure instanceof InvalidMessageException);
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
