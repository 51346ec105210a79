package dev.hsi.queue;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs one consumer has claimed and not yet settled, and what a graceful stop does with them: wait for those
 * that run, then hand the rest back to the head of their queue in one atomic step each.
 */
final class JobsInHand {

    private static final Logger LOG = LoggerFactory.getLogger(JobsInHand.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(50);
    /** Removes the job from processing (if still there) and puts it at the head of its queue, in one step. */
    private static final String HAND_BACK = "redis.call('LREM', KEYS[1], 1, ARGV[1]) "
            + "redis.call('LPUSH', KEYS[2], ARGV[1]) return 1";

    /**
     * A claimed job. Waiting while it sits out a back-off or an outage (a stop hands it back at once). Abandoned
     * once handed back: whatever its run does later settles nothing.
     */
    static final class Held {
        final ClaimSlot slot;
        final String job;
        volatile boolean waiting;
        volatile boolean abandoned;

        private Held(ClaimSlot slot, String job) {
            this.slot = slot;
            this.job = job;
        }
    }

    private final Vertx vertx;
    private final RedisAPI redis;
    private final String queue;
    /** Identity set: a job claimed twice is held twice. */
    private final Set<Held> held = ConcurrentHashMap.newKeySet();

    JobsInHand(Vertx vertx, RedisAPI redis, String queue) {
        this.vertx = vertx;
        this.redis = redis;
        this.queue = queue;
    }

    /** Jobs just claimed into {@code slot}'s processing list. */
    List<Held> hold(ClaimSlot slot, List<String> jobs) {
        List<Held> claimed = jobs.stream().map(job -> new Held(slot, job)).toList();
        held.addAll(claimed);
        return claimed;
    }

    /** Whether a job claimed into {@code slot} is still in hand. */
    boolean holds(ClaimSlot slot) {
        return held.stream().anyMatch(h -> h.slot.equals(slot));
    }

    void release(Held job) {
        held.remove(job);
    }

    /** The raw jobs in hand, handed-back ones included until their hand-back is done. */
    List<String> jobs() {
        return held.stream().map(h -> h.job).toList();
    }

    /** The job waits (a stop may hand it back meanwhile); then it goes on, unless it was handed back. */
    Uni<Boolean> sitOut(Held job, Uni<Boolean> wait) {
        job.waiting = true;
        return wait.eventually(() -> job.waiting = false);
    }

    /** Completes once no job runs any more (all wait or are handed back), or at {@code untilNanos}. */
    Uni<Void> awaitIdle(long untilNanos) {
        if (held.stream().allMatch(h -> h.abandoned || h.waiting) || System.nanoTime() >= untilNanos) {
            return Uni.createFrom().voidItem();
        }
        return Timers.delay(vertx, IDLE_POLL).onItem().transformToUni(ignored -> awaitIdle(untilNanos));
    }

    Uni<Void> handBackAll() {
        List<Held> left = held.stream().filter(h -> !h.abandoned).toList();
        if (left.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        LOG.info("Queue {}: handing {} unfinished job(s) back to the queue", queue, left.size());
        return Multi.createFrom().iterable(left)
                .onItem().transformToUniAndConcatenate(this::handBack)
                .collect().last()
                .replaceWithVoid();
    }

    /** Puts the job back at the head of its queue; its run, if still going, settles nothing afterwards. */
    Uni<Void> handBack(Held job) {
        if (job.abandoned) {
            return Uni.createFrom().voidItem();
        }
        job.abandoned = true;
        return redis.eval(List.of(HAND_BACK, "2", job.slot.processingList(), queue, job.job))
                .replaceWithVoid()
                .eventually(() -> held.remove(job))
                .onFailure().invoke(failure -> LOG.warn("Queue {}: could not hand a job back ({}); it stays in {}"
                        + " until the reaper moves it", queue, failure.getMessage(), job.slot.processingList()))
                .onFailure().recoverWithNull();
    }
}
