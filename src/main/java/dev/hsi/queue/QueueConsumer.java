package dev.hsi.queue;

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
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer loop over a {@link WorkQueue}: claim jobs, run the handler, acknowledge each job. A loop waits for
 * one job and takes up to {@code maxBatch} when more wait, so the handler can process them in one go; the number
 * of loops bounds the work in flight (waiting jobs stay in Redis, not in memory).
 *
 * <p>Jobs are claimed into the consumer's own processing list ({@link ClaimSlot}), renewed by a heartbeat
 * ({@link ClaimSlots}); each new connection gets a new slot, so a claim whose reply a broken connection lost is
 * taken back by the {@link QueueReaper}.
 *
 * <p>A failed job is retried on its own three times with 1 s, 2 s, 4 s back-off plus jitter ({@link RetryPolicy});
 * then, or at once for a {@link PermanentFailure} or a malformed payload, it goes to the dead-letter queue.
 *
 * <p>An outage is not a failure of the job. When a job fails while the health probe finds PostgreSQL or Redis
 * down, the loop pauses: the job stays in its processing list, nothing else is claimed, no attempt is
 * counted, and the job runs again once the probe finds everything up. A failure that looks like an outage
 * ({@link Outages}) while everything answers (a connection that broke as the server came back) is run again at
 * once, twice, before attempts count. Redis failing under the queue's own commands pauses the same way.
 * {@link #drain} stops gracefully: no more claims, jobs in hand finish until a deadline, the rest go back.
 */
public final class QueueConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
    /** Also bounds how long a claim sent on a broken connection can still move a job (see {@link ClaimSlots}). */
    static final int CLAIM_TIMEOUT_SECONDS = 1;
    /** Outage-looking failures that the probe does not confirm: run again at once this often before they count. */
    private static final int UNCOUNTED_RETRIES = 2;
    private static final Duration UNCOUNTED_RETRY_DELAY = Duration.ofMillis(250);
    private static final Duration FIRST_PROBE_DELAY = Duration.ofMillis(250);
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);
    private static final Duration CLAIM_SETTLE_POLL = Duration.ofMillis(20);

    private final Vertx vertx;
    private final Redis redisClient;
    private final RedisAPI redis;
    private final WorkQueue queue;
    private final int maxBatch;
    private final JobHandler handler;
    private final QueueBoard board;
    private final JobsInHand hand;
    private final ClaimSlots slots;
    private volatile boolean running;
    /**
     * True while a claim (BLMOVE) is on its way: closing the connection does not undo a move Redis already made, so
     * a drain waits for the claim's answer and hands back what it brought.
     */
    private volatile boolean claiming;
    private final AtomicReference<RedisConnection> connection = new AtomicReference<>();

    public QueueConsumer(Vertx vertx, Redis redisClient, WorkQueue queue, int maxBatch, JobHandler handler) {
        this.vertx = vertx;
        this.redisClient = redisClient;
        this.redis = RedisAPI.api(redisClient);
        this.queue = queue;
        this.maxBatch = maxBatch;
        this.handler = handler;
        this.board = QueueBoard.of(vertx);
        this.hand = new JobsInHand(vertx, redis, queue.name());
        this.slots = new ClaimSlots(vertx, redis, queue.name(), board.newConsumerName(), queue.limits(), hand);
    }

    public void start() {
        running = true;
        board.register(this);
        slots.start();
        connectAndLoop();
    }

    /**
     * Stops at once: jobs in hand stay in the processing list; the heartbeat stops, so the reaper moves them back
     * once the consumer timeout has passed (at the next start, if this server owns its Redis).
     */
    public void stop() {
        running = false;
        board.unregister(this);
        slots.stop();
        closeConnection();
    }

    /** Stops claiming; lets jobs in hand finish until {@code deadline}; hands the rest back to the queue. */
    public Uni<Void> drain(Duration deadline) {
        running = false;
        closeConnection();
        long until = System.nanoTime() + deadline.toNanos();
        return awaitClaimSettled(until)
                .onItem().transformToUni(ignored -> hand.awaitIdle(until))
                .onItem().transformToUni(ignored -> hand.handBackAll())
                .onItem().transformToUni(ignored -> slots.close())
                .onTermination().invoke(() -> board.unregister(this));
    }

    String queueName() {
        return queue.name();
    }

    private Uni<Void> awaitClaimSettled(long untilNanos) {
        if (!claiming || System.nanoTime() >= untilNanos) {
            return Uni.createFrom().voidItem();
        }
        return Timers.delay(vertx, CLAIM_SETTLE_POLL).onItem().transformToUni(ignored -> awaitClaimSettled(untilNanos));
    }

    /** The consumer ids this consumer renews: the reaper of this process leaves them alone. */
    Set<String> liveConsumerIds() {
        return slots.liveIds();
    }

    List<String> heldJobs() {
        return hand.jobs();
    }

    private void connectAndLoop() {
        if (!running) {
            return;
        }
        redisClient.connect().subscribe().with(
                conn -> {
                    connection.set(conn);
                    if (!running) {
                        closeConnection();
                        return;
                    }
                    RedisAPI blocking = RedisAPI.api(conn);
                    slots.open(blocking).subscribe().with(slot -> loop(blocking, slot), failure -> {
                        closeConnection();
                        retryConnectLater(failure);
                    });
                },
                this::retryConnectLater);
    }

    private void retryConnectLater(Throwable failure) {
        board.paused(this, Set.of("redis"), Outages.describe(failure));
        LOG.debug("Queue {}: Redis call failed ({}), reconnecting", queue.name(), failure.getMessage());
        vertx.setTimer(RECONNECT_DELAY.toMillis(), id -> connectAndLoop());
    }

    private void loop(RedisAPI blocking, ClaimSlot slot) {
        if (!running) {
            return;
        }
        claiming = true;
        queue.claim(blocking, slot, CLAIM_TIMEOUT_SECONDS)
                .onItem().transformToUni(first -> first == null
                        ? Uni.createFrom().item(List.<String>of())
                        : claimMore(blocking, slot, new ArrayList<>(List.of(first))))
                .invoke(jobs -> board.resumed(this))
                // held at once, so that a drain waiting for this claim finds them and hands them back
                .map(jobs -> hand.hold(slot, jobs))
                .eventually(() -> claiming = false)
                .onItem().transformToUni(held -> {
                    if (!running) {
                        // claimed as the consumer stopped: the drain hands them back without waiting for them
                        held.forEach(job -> job.waiting = true);
                        return Uni.createFrom().voidItem();
                    }
                    return held.isEmpty() ? Uni.createFrom().voidItem() : process(held);
                })
                .subscribe().with(
                        done -> loop(blocking, slot),
                        failure -> {
                            if (running) {
                                // claiming is a Redis call: a failure here means Redis went away
                                closeConnection();
                                retryConnectLater(failure);
                            }
                        });
    }

    /** Takes jobs that are already waiting, without blocking, until the batch is full or the queue empty. */
    private Uni<List<String>> claimMore(RedisAPI blocking, ClaimSlot slot, List<String> jobs) {
        if (jobs.size() >= maxBatch || !running) {
            return Uni.createFrom().item(jobs);
        }
        return queue.claimWaiting(blocking, slot).onItem().transformToUni(next -> {
            if (next == null) {
                return Uni.createFrom().item(jobs);
            }
            jobs.add(next);
            return claimMore(blocking, slot, jobs);
        });
    }

    private Uni<Void> process(List<JobsInHand.Held> jobs) {
        Instant firstAttempt = Instant.now();
        List<String> raw = jobs.stream().map(h -> h.job).toList();
        return Uni.createFrom().deferred(() -> handler.handle(raw))
                .onFailure().recoverWithItem(failure -> Collections.nCopies(jobs.size(), Optional.of(failure)))
                .onItem().transformToMulti(outcomes -> Multi.createFrom().range(0, jobs.size())
                        .onItem().transformToUniAndMerge(i -> settle(jobs.get(i), outcomes.get(i), 1, 0, firstAttempt)))
                .collect().last()
                .replaceWithVoid();
    }

    /** Acknowledges a done job; pauses for an outage; retries a failed job on its own, or dead-letters it. */
    private Uni<Void> settle(JobsInHand.Held job, Optional<Throwable> outcome, int attempt, int uncounted,
            Instant firstAttempt) {
        if (job.abandoned) {
            hand.release(job);
            return Uni.createFrom().voidItem();
        }
        if (outcome.isEmpty()) {
            return withRedis(() -> queue.ack(job.slot, job.job)).eventually(() -> hand.release(job));
        }
        Throwable failure = outcome.get();
        if (!RetryPolicy.isTransient(failure)) {
            return deadLetter(job, failure, attempt, firstAttempt);
        }
        return board.down(this::redisProbe).onItem().transformToUni(down -> {
            if (!down.isEmpty()) {
                board.paused(this, down, Outages.describe(failure));
                return runAgainAfter(job, awaitRecovery(FIRST_PROBE_DELAY), attempt, uncounted, firstAttempt);
            }
            if (!running) {
                return hand.handBack(job);
            }
            Optional<String> outage = Outages.infrastructureCause(failure);
            if (outage.isPresent() && uncounted < UNCOUNTED_RETRIES) {
                LOG.info("Queue {}: {} while every service answers; running the job again", queue.name(), outage.get());
                return runAgainAfter(job, Timers.delay(vertx, UNCOUNTED_RETRY_DELAY).replaceWith(true),
                        attempt, uncounted + 1, firstAttempt);
            }
            if (RetryPolicy.mayRetry(attempt)) {
                Duration delay = RetryPolicy.backOff(attempt);
                LOG.warn("Queue {}: attempt {} failed ({}), retrying in {} ms",
                        queue.name(), attempt, failure.getMessage(), delay.toMillis());
                return runAgainAfter(job, Timers.delay(vertx, delay).replaceWith(true),
                        attempt + 1, uncounted, firstAttempt);
            }
            return deadLetter(job, failure, attempt, firstAttempt);
        });
    }

    /**
     * Runs the job again once {@code wait} says to go on, counting it as attempt {@code attempt}; hands it back
     * instead when the consumer stops meanwhile.
     */
    private Uni<Void> runAgainAfter(JobsInHand.Held job, Uni<Boolean> wait, int attempt, int uncounted,
            Instant firstAttempt) {
        return hand.sitOut(job, wait).onItem().transformToUni(goOn -> goOn && running
                ? rerun(job).onItem().transformToUni(next -> settle(job, next, attempt, uncounted, firstAttempt))
                : hand.handBack(job));
    }

    private Uni<Optional<Throwable>> rerun(JobsInHand.Held job) {
        if (job.abandoned) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Uni.createFrom().deferred(() -> handler.handle(List.of(job.job)))
                .map(outcomes -> outcomes.get(0))
                .onFailure().recoverWithItem(Optional::of);
    }

    private Uni<Void> deadLetter(JobsInHand.Held job, Throwable failure, int attempts, Instant firstAttempt) {
        return withRedis(() -> queue.deadLetter(job.slot, job.job, Outages.describe(failure), attempts, firstAttempt)
                        .invoke(moved -> {
                            if (moved) {
                                LOG.error("Queue {}: job dead-lettered after {} attempt(s): {} (job {})",
                                        queue.name(), attempts, failure.getMessage(), job.job);
                            } else {
                                LOG.warn("Queue {}: job failed after {} attempt(s) ({}), but the reaper had already"
                                        + " put it back on the queue: it runs again (job {})", queue.name(), attempts,
                                        failure.getMessage(), job.job);
                            }
                        })
                        .replaceWithVoid())
                .eventually(() -> hand.release(job));
    }

    /** Waits until every service answers (true) or the consumer stops (false); paused meanwhile. */
    private Uni<Boolean> awaitRecovery(Duration delay) {
        return board.awaitRecovery(this, vertx, this::redisProbe, () -> running, delay);
    }

    /**
     * A Redis command of the queue itself (acknowledge, dead-letter): while Redis is down, wait for it and run the
     * command again. A command that fails while Redis answers is tried twice more, then the job is left in
     * processing for the next start.
     */
    private Uni<Void> withRedis(Supplier<Uni<Void>> command) {
        return withRedis(command, 0);
    }

    private Uni<Void> withRedis(Supplier<Uni<Void>> command, int failedWhileUp) {
        return Uni.createFrom().deferred(command::get).onFailure().recoverWithUni(failure -> {
            if (!running || failedWhileUp >= UNCOUNTED_RETRIES) {
                LOG.warn("Queue {}: a Redis command failed ({}); the job stays in its processing list until the"
                        + " reaper moves it back", queue.name(), failure.getMessage());
                return Uni.createFrom().voidItem();
            }
            return board.down(this::redisProbe).onItem().transformToUni(down -> {
                if (down.isEmpty()) {
                    return Timers.delay(vertx, UNCOUNTED_RETRY_DELAY)
                            .onItem().transformToUni(ignored -> withRedis(command, failedWhileUp + 1));
                }
                board.paused(this, down, Outages.describe(failure));
                return awaitRecovery(FIRST_PROBE_DELAY).onItem().transformToUni(recovered -> recovered
                        ? withRedis(command, failedWhileUp)
                        : Uni.createFrom().voidItem());
            });
        });
    }

    private Uni<Set<String>> redisProbe() {
        return redis.ping(List.of()).map(pong -> Set.<String>of())
                .onFailure().recoverWithItem(Set.of("redis"));
    }

    /** Closes the claiming connection once (a pooled connection closed twice corrupts the pool's count). */
    private void closeConnection() {
        RedisConnection current = connection.getAndSet(null);
        if (current != null) {
            current.closeAndForget();
        }
    }
}
