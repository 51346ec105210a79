package dev.hsi.queue;

import dev.hsi.bus.InvalidMessageException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.RedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer loop over a {@link WorkQueue}: claim jobs, run the handler, acknowledge each job. A loop waits for
 * one job; when more are already waiting (the queue is deep) it takes up to {@code maxBatch} at once, so the
 * handler can process them in one go. A loop holds at most {@code maxBatch} jobs, so the number of loops bounds the
 * work in flight (back-pressure: waiting jobs stay in Redis, not in memory).
 *
 * <p>A failed job is retried on its own three times with 1 s, 2 s, 4 s back-off plus jitter; then, or at once for a
 * {@link PermanentFailure} or a malformed payload, it goes to the dead-letter queue.
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
    private final int maxBatch;
    private final JobHandler handler;
    private volatile boolean running;
    private RedisConnection connection;

    public QueueConsumer(Vertx vertx, Redis redisClient, WorkQueue queue, int maxBatch, JobHandler handler) {
        this.vertx = vertx;
        this.redisClient = redisClient;
        this.queue = queue;
        this.maxBatch = maxBatch;
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
                this::retryConnectLater);
    }

    private void retryConnectLater(Throwable failure) {
        LOG.warn("Queue {}: Redis call failed ({}), reconnecting in {} s",
                queue.name(), failure, RECONNECT_DELAY.toSeconds());
        vertx.setTimer(RECONNECT_DELAY.toMillis(), id -> connectAndLoop());
    }

    private void loop(RedisAPI blocking) {
        if (!running) {
            return;
        }
        queue.claim(blocking, CLAIM_TIMEOUT_SECONDS)
                .onItem().transformToUni(first -> first == null
                        ? Uni.createFrom().item(List.<String>of())
                        : claimMore(blocking, new ArrayList<>(List.of(first))))
                .onItem().transformToUni(jobs -> jobs.isEmpty() ? Uni.createFrom().voidItem() : process(jobs))
                .subscribe().with(
                        done -> loop(blocking),
                        failure -> {
                            if (running) {
                                // claim, ack and dead-letter are Redis calls: a failure here means Redis went away
                                connection.closeAndForget();
                                retryConnectLater(failure);
                            }
                        });
    }

    /** Takes jobs that are already waiting, without blocking, until the batch is full or the queue empty. */
    private Uni<List<String>> claimMore(RedisAPI blocking, List<String> jobs) {
        if (jobs.size() >= maxBatch) {
            return Uni.createFrom().item(jobs);
        }
        return queue.claimWaiting(blocking).onItem().transformToUni(next -> {
            if (next == null) {
                return Uni.createFrom().item(jobs);
            }
            jobs.add(next);
            return claimMore(blocking, jobs);
        });
    }

    private Uni<Void> process(List<String> jobs) {
        Instant firstAttempt = Instant.now();
        return Uni.createFrom().deferred(() -> handler.handle(jobs))
                .onFailure().recoverWithItem(failure -> Collections.nCopies(jobs.size(), Optional.of(failure)))
                .onItem().transformToMulti(outcomes -> Multi.createFrom().range(0, jobs.size())
                        .onItem().transformToUniAndMerge(i -> settle(jobs.get(i), outcomes.get(i), 1, firstAttempt)))
                .collect().last()
                .replaceWithVoid();
    }

    /** Acknowledges a done job; retries a failed one on its own, or dead-letters it. */
    private Uni<Void> settle(String job, Optional<Throwable> outcome, int attempt, Instant firstAttempt) {
        if (outcome.isEmpty()) {
            return queue.ack(job);
        }
        Throwable failure = outcome.get();
        if (isTransient(failure) && attempt < MAX_ATTEMPTS) {
            Duration delay = backOff(attempt);
            LOG.warn("Queue {}: attempt {} failed ({}), retrying in {} ms",
                    queue.name(), attempt, failure.getMessage(), delay.toMillis());
            return Timers.delay(vertx, delay)
                    .onItem().transformToUni(ignored -> Uni.createFrom().deferred(() -> handler.handle(List.of(job))))
                    .map(outcomes -> outcomes.get(0))
                    .onFailure().recoverWithItem(Optional::of)
                    .onItem().transformToUni(next -> settle(job, next, attempt + 1, firstAttempt));
        }
        LOG.error("Queue {}: job dead-lettered after {} attempt(s): {} (job {})",
                queue.name(), attempt, failure.getMessage(), job);
        return queue.deadLetter(job, describe(failure), attempt, firstAttempt);
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
