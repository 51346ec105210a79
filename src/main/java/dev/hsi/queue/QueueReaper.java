package dev.hsi.queue;

import dev.hsi.bus.RedisKeys;
import dev.hsi.config.QueueConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts jobs that dead consumers had claimed back at the head of their queue, so that nothing claimed is stranded.
 *
 * <p>At start: the single processing list of earlier versions is moved back; then, if this server owns its Redis
 * (the embedded one, which no other process uses), every consumer registered in it belonged to an earlier run and
 * all their processing lists are moved back at once; otherwise only those whose heartbeat has expired. Then every
 * {@code QUEUE_REAPER_INTERVAL_SECONDS}: consumers whose heartbeat expired ({@code QUEUE_CONSUMER_TIMEOUT_SECONDS}
 * after their last renewal), except those this process still renews.
 *
 * <p>Each consumer is reaped in one Lua script (the check, the moves, the removal from the consumer set), so two
 * reapers, in one server or in several sharing a Redis, move each job exactly once. Deployed before the stages, so
 * that the start-up pass is done before any consumer claims.
 */
public final class QueueReaper extends AbstractVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(QueueReaper.class);
    private static final int SCAN_COUNT = 500;

    /** KEYS[1] a processing list, KEYS[2] its queue: moves every job back to the head, in claim order. */
    private static final String MOVE_ALL = """
            local moved = 0
            while redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT') do moved = moved + 1 end
            return moved
            """;

    /**
     * KEYS[1] the queue's consumer set, KEYS[2] the queue; ARGV[1] the processing list prefix, ARGV[2] the heartbeat
     * prefix, ARGV[3..] consumer ids to spare. Every other consumer whose heartbeat is gone: its jobs go back to the
     * head of the queue and it leaves the set. Returns {consumers reaped, jobs moved}.
     */
    private static final String REAP = """
            local spare = {}
            for i = 3, #ARGV do spare[ARGV[i]] = true end
            local reaped, moved = 0, 0
            for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              if not spare[id] and redis.call('EXISTS', ARGV[2] .. id) == 0 then
                while redis.call('LMOVE', ARGV[1] .. id, KEYS[2], 'RIGHT', 'LEFT') do moved = moved + 1 end
                redis.call('SREM', KEYS[1], id)
                reaped = reaped + 1
              end
            end
            return {reaped, moved}
            """;

    /** What one pass over a queue did. */
    record Reaped(String queue, long consumers, long jobs) {
    }

    private final RedisAPI redis;
    private final List<String> queues;
    private final QueueConfig config;
    private final boolean ownsRedis;
    private QueueBoard board;
    private long timer = -1;
    private boolean passRunning;

    /** @param ownsRedis the Redis is this server's own (embedded): no consumer of another live process is in it */
    public QueueReaper(RedisAPI redis, List<String> queues, QueueConfig config, boolean ownsRedis) {
        this.redis = redis;
        this.queues = List.copyOf(queues);
        this.config = config;
        this.ownsRedis = ownsRedis;
    }

    @Override
    public Uni<Void> asyncStart() {
        board = QueueBoard.of(vertx);
        return Multi.createFrom().iterable(queues)
                .onItem().transformToUniAndConcatenate(this::startPass)
                .collect().asList()
                .invoke(passes -> {
                    passes.forEach(this::logStart);
                    timer = vertx.setPeriodic(config.reaperInterval().toMillis(), id -> periodicPass());
                })
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> asyncStop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        return Uni.createFrom().voidItem();
    }

    /** One pass over every queue, sparing the consumers this process renews; the count of jobs moved. */
    private Uni<Long> reapAllExpired() {
        return Multi.createFrom().iterable(queues)
                .onItem().transformToUniAndConcatenate(queue -> reapExpired(queue,
                        List.copyOf(board.liveConsumerIds(queue))))
                .invoke(reaped -> {
                    if (reaped.jobs() > 0) {
                        LOG.warn("Reaper: {} job(s) of {} consumer(s) of {} whose heartbeat expired moved back to the"
                                + " head of the queue", reaped.jobs(), reaped.consumers(), reaped.queue());
                    }
                })
                .collect().asList()
                .map(all -> all.stream().mapToLong(Reaped::jobs).sum());
    }

    private void periodicPass() {
        if (passRunning) {
            return;
        }
        passRunning = true;
        reapAllExpired()
                .onTermination().invoke(() -> passRunning = false)
                .subscribe().with(moved -> { }, failure -> LOG.debug("Reaper pass failed ({}); it runs again in {} ms",
                        failure.getMessage(), config.reaperInterval().toMillis()));
    }

    private Uni<Reaped> startPass(String queue) {
        Uni<Long> legacy = moveAll(RedisKeys.legacyProcessing(queue), queue);
        if (!ownsRedis) {
            return legacy.onItem().transformToUni(moved -> reapExpired(queue, List.of())
                    .map(reaped -> new Reaped(queue, reaped.consumers(), reaped.jobs() + moved)));
        }
        // every consumer in our own Redis is dead; its lists are found by name too, registered or not
        return legacy.onItem().transformToUni(moved -> processingLists(queue, "0", new ArrayList<>())
                .onItem().transformToUni(lists -> Multi.createFrom().iterable(lists)
                        .onItem().transformToUniAndConcatenate(list -> moveAll(list, queue))
                        .collect().asList()
                        .onItem().transformToUni(counts -> redis.del(List.of(RedisKeys.consumers(queue)))
                                .map(deleted -> new Reaped(queue, lists.size(),
                                        moved + counts.stream().mapToLong(Long::longValue).sum())))));
    }

    private Uni<Reaped> reapExpired(String queue, List<String> spare) {
        List<String> args = new ArrayList<>(List.of(REAP, "2", RedisKeys.consumers(queue), queue,
                RedisKeys.processing(queue, ""), RedisKeys.consumerHeartbeat(queue, "")));
        args.addAll(spare);
        return redis.eval(args).map(reply -> new Reaped(queue, reply.get(0).toLong(), reply.get(1).toLong()));
    }

    private Uni<Long> moveAll(String list, String queue) {
        return redis.eval(List.of(MOVE_ALL, "2", list, queue)).map(Response::toLong);
    }

    /** Every per-consumer processing list of the queue (SCAN: only at start, on a Redis this server owns). */
    private Uni<List<String>> processingLists(String queue, String cursor, List<String> found) {
        String pattern = RedisKeys.processing(queue, "*");
        return redis.scan(List.of(cursor, "MATCH", pattern, "COUNT", String.valueOf(SCAN_COUNT)))
                .onItem().transformToUni(reply -> {
                    reply.get(1).forEach(key -> found.add(key.toString()));
                    String next = reply.get(0).toString();
                    return next.equals("0") ? Uni.createFrom().item(found) : processingLists(queue, next, found);
                });
    }

    private void logStart(Reaped reaped) {
        if (reaped.jobs() > 0) {
            LOG.info("Re-queued {} job(s) of {} left unfinished by earlier runs ({} consumer list(s){})", reaped.jobs(),
                    reaped.queue(), reaped.consumers(), ownsRedis ? "; this server's own Redis: all of them"
                            : "; heartbeat expired");
        }
    }
}
