package dev.hsi.queue;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the queue consumers of one Vert.x instance share: the health probe that tells an outage from a failed job,
 * which queues are paused and why ({@code GET /ready} reports them), the jobs each consumer holds (reconciliation
 * must not queue those again), the consumer ids this process renews (its reaper spares them), and the graceful drain
 * at shutdown. One per Vert.x instance, kept in its local shared data, so that the stages need not be wired to it.
 */
public final class QueueBoard implements Shareable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueBoard.class);
    private static final String MAP = "hsi.queue-board";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    /** Consumers that pause together share one probe answer for this long. */
    private static final Duration PROBE_REUSE = Duration.ofMillis(200);
    private static final Duration MAX_PROBE_DELAY = Duration.ofSeconds(2);

    /** Why a consumer stopped claiming: the services that are down, since when. */
    public record Pause(String queue, Set<String> down, String reason, Instant since) {
    }

    private final Set<QueueConsumer> consumers = ConcurrentHashMap.newKeySet();
    private final Map<QueueConsumer, Pause> pauses = new ConcurrentHashMap<>();
    /**
     * This process among all consumers of one Redis: its pid, and a random part because a restarted container has
     * the same pid as the process it replaces.
     */
    private final String instance = ProcessHandle.current().pid() + "-"
            + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    private final AtomicInteger consumerCount = new AtomicInteger();
    private volatile Uni<Set<String>> probe;

    private QueueBoard() {
    }

    public static QueueBoard of(Vertx vertx) {
        LocalMap<String, QueueBoard> boards = vertx.getDelegate().sharedData().getLocalMap(MAP);
        QueueBoard created = new QueueBoard();
        QueueBoard existing = boards.putIfAbsent(MAP, created);
        return existing == null ? created : existing;
    }

    /**
     * The probe that names the services that are down ({@code database}, {@code redis}); empty when all answer.
     * Without one, consumers probe only Redis, through their own client.
     */
    public void useProbe(Supplier<Uni<Set<String>>> healthProbe) {
        probe = Uni.createFrom().deferred(healthProbe::get)
                .ifNoItem().after(PROBE_TIMEOUT).recoverWithItem(Set.of("database", "redis"))
                .onFailure().recoverWithItem(Set.of("database", "redis"))
                .memoize().atLeast(PROBE_REUSE);
    }

    Uni<Set<String>> down(Supplier<Uni<Set<String>>> fallback) {
        Uni<Set<String>> current = probe;
        return current != null ? current : Uni.createFrom().deferred(fallback::get);
    }

    /**
     * Probes with a growing delay (up to 2 s) until every service answers: true, and the consumer counts as running
     * again; false as soon as {@code goOn} turns false (the consumer stops).
     */
    Uni<Boolean> awaitRecovery(QueueConsumer consumer, Vertx vertx, Supplier<Uni<Set<String>>> fallback,
            BooleanSupplier goOn, Duration delay) {
        if (!goOn.getAsBoolean()) {
            return Uni.createFrom().item(false);
        }
        return Timers.delay(vertx, delay)
                .onItem().transformToUni(ignored -> down(fallback))
                .onItem().transformToUni(down -> {
                    if (down.isEmpty()) {
                        resumed(consumer);
                        return Uni.createFrom().item(true);
                    }
                    Duration next = delay.multipliedBy(2);
                    return awaitRecovery(consumer, vertx, fallback, goOn,
                            next.compareTo(MAX_PROBE_DELAY) > 0 ? MAX_PROBE_DELAY : next);
                });
    }

    /** Queues whose consumers are paused by an outage, with the services they wait for. */
    public Map<String, Pause> pausedQueues() {
        Map<String, Pause> byQueue = new LinkedHashMap<>();
        pauses.values().stream().sorted(Comparator.comparing(Pause::since))
                .forEach(pause -> byQueue.putIfAbsent(pause.queue(), pause));
        return byQueue;
    }

    /** The raw jobs that consumers of {@code queue} hold right now (claimed, not yet settled). */
    public List<String> heldJobs(String queue) {
        List<String> jobs = new ArrayList<>();
        consumers.stream().filter(consumer -> consumer.queueName().equals(queue))
                .forEach(consumer -> jobs.addAll(consumer.heldJobs()));
        return jobs;
    }

    /** The consumer ids that consumers of {@code queue} in this process renew right now. */
    public Set<String> liveConsumerIds(String queue) {
        Set<String> ids = new TreeSet<>();
        consumers.stream().filter(consumer -> consumer.queueName().equals(queue))
                .forEach(consumer -> ids.addAll(consumer.liveConsumerIds()));
        return ids;
    }

    /** A name for a new consumer loop, unique among all processes sharing the Redis: instance and loop number. */
    String newConsumerName() {
        return instance + "-" + consumerCount.incrementAndGet();
    }

    /**
     * Graceful stop of every consumer: none claims again; jobs in hand may finish until the deadline, then the
     * rest are handed back to the head of their queue.
     */
    public Uni<Void> drainAll(Duration deadline) {
        List<QueueConsumer> all = List.copyOf(consumers);
        if (all.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(all)
                .onItem().transformToUniAndMerge(consumer -> consumer.drain(deadline))
                .collect().last()
                .replaceWithVoid();
    }

    void register(QueueConsumer consumer) {
        consumers.add(consumer);
    }

    void unregister(QueueConsumer consumer) {
        consumers.remove(consumer);
        resumed(consumer);
    }

    void paused(QueueConsumer consumer, Set<String> down, String reason) {
        Pause pause = new Pause(consumer.queueName(), Set.copyOf(new TreeSet<>(down)), reason, Instant.now());
        synchronized (pauses) {
            boolean queueWasRunning = pauses.values().stream().noneMatch(p -> p.queue().equals(pause.queue()));
            if (pauses.putIfAbsent(consumer, pause) == null && queueWasRunning) {
                LOG.warn("Queue {} paused: {} down ({}); its jobs wait in Redis and no attempt is counted",
                        pause.queue(), String.join(" and ", new TreeSet<>(down)), reason);
            }
        }
    }

    void resumed(QueueConsumer consumer) {
        synchronized (pauses) {
            Pause pause = pauses.remove(consumer);
            if (pause != null && pauses.values().stream().noneMatch(p -> p.queue().equals(pause.queue()))) {
                LOG.info("Queue {} resumed after {} ms", pause.queue(),
                        Duration.between(pause.since(), Instant.now()).toMillis());
            }
        }
    }
}
