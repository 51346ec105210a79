package dev.hsi.queue;

import dev.hsi.bus.RedisKeys;
import dev.hsi.config.QueueConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.RedisAPI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer's claim slots and their heartbeats. The current slot is where the consumer claims. A slot it left
 * because its connection broke is renewed only while jobs claimed through it are still in hand; then it is left to
 * lapse, and the reaper moves back whatever a claim reply lost with that connection left in it.
 *
 * <p>Every renewal also adds the slot to the queue's consumer set again, so a consumer re-registers by itself after
 * Redis lost its data.
 */
final class ClaimSlots {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimSlots.class);
    /** KEYS[1] the queue's consumer set, KEYS[2] the heartbeat; ARGV[1] the consumer id, ARGV[2] the TTL in ms. */
    private static final String BEAT = """
            redis.call('SADD', KEYS[1], ARGV[1])
            redis.call('SET', KEYS[2], 'alive', 'PX', ARGV[2])
            return 1
            """;
    /**
     * How long a left slot's heartbeat still lives: longer than a blocking claim sent on the broken connection can
     * still take (it times out after a second), so no job lands in the slot after the reaper emptied it.
     */
    private static final Duration LAPSE = Duration.ofSeconds(QueueConsumer.CLAIM_TIMEOUT_SECONDS + 2);

    private final Vertx vertx;
    private final RedisAPI redis;
    private final String queue;
    private final String consumerName;
    private final QueueConfig config;
    private final JobsInHand hand;
    private final AtomicInteger generation = new AtomicInteger();
    private final Set<ClaimSlot> left = ConcurrentHashMap.newKeySet();
    private volatile ClaimSlot current;
    private volatile long timer = -1;

    ClaimSlots(Vertx vertx, RedisAPI redis, String queue, String consumerName, QueueConfig config, JobsInHand hand) {
        this.vertx = vertx;
        this.redis = redis;
        this.queue = queue;
        this.consumerName = consumerName;
        this.config = config;
        this.hand = hand;
    }

    /** Renews the live slots every {@link QueueConfig#heartbeatInterval()} from now on. */
    void start() {
        timer = vertx.setPeriodic(config.heartbeatInterval().toMillis(), id -> renew());
    }

    /**
     * A fresh slot for a new claiming connection, registered with its heartbeat through that connection before
     * anything is claimed into it. The previous slot is left.
     */
    Uni<ClaimSlot> open(RedisAPI connection) {
        ClaimSlot previous = current;
        ClaimSlot slot = new ClaimSlot(queue, consumerName + "-" + generation.getAndIncrement());
        if (previous != null) {
            left.add(previous);
        }
        current = slot;
        return beat(connection, slot).replaceWith(slot);
    }

    /** The ids of the slots this consumer still renews: the reaper of this process spares them. */
    Set<String> liveIds() {
        Set<String> ids = left.stream().map(ClaimSlot::consumerId).collect(Collectors.toSet());
        ClaimSlot now = current;
        if (now != null) {
            ids.add(now.consumerId());
        }
        return ids;
    }

    /** No more renewals: the slots lapse after the consumer timeout, and their jobs go back to the queue then. */
    void stop() {
        long id = timer;
        timer = -1;
        if (id >= 0) {
            vertx.cancelTimer(id);
        }
    }

    /** No more renewals, and every slot lapses within seconds: for a consumer that handed its jobs back. */
    Uni<Void> close() {
        stop();
        List<ClaimSlot> all = new ArrayList<>(left);
        left.clear();
        ClaimSlot now = current;
        if (now != null) {
            all.add(now);
        }
        if (all.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(all.stream().map(this::lapse).toList()).andCollectFailures()
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    private void renew() {
        List<ClaimSlot> alive = new ArrayList<>();
        ClaimSlot now = current;
        if (now != null) {
            alive.add(now);
        }
        for (ClaimSlot slot : left) {
            if (hand.holds(slot)) {
                alive.add(slot);
            } else {
                left.remove(slot);
                lapse(slot).subscribe().with(done -> { }, failure -> { });
            }
        }
        for (ClaimSlot slot : alive) {
            beat(redis, slot).subscribe().with(done -> { }, failure -> LOG.debug(
                    "Queue {}: heartbeat of consumer {} failed ({}); it is renewed again in {} ms", queue,
                    slot.consumerId(), failure.getMessage(), config.heartbeatInterval().toMillis()));
        }
    }

    private Uni<Void> beat(RedisAPI connection, ClaimSlot slot) {
        return connection.eval(List.of(BEAT, "2", RedisKeys.consumers(queue), slot.heartbeat(), slot.consumerId(),
                String.valueOf(config.consumerTimeout().toMillis()))).replaceWithVoid();
    }

    private Uni<Void> lapse(ClaimSlot slot) {
        return redis.pexpire(List.of(slot.heartbeat(), String.valueOf(LAPSE.toMillis()))).replaceWithVoid();
    }
}
