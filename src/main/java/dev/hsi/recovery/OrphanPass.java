package dev.hsi.recovery;

import dev.hsi.bus.AnalysisJob;
import dev.hsi.bus.RedisKeys;
import dev.hsi.queue.Timers;
import dev.hsi.queue.WorkQueue;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes batches whose Redis state vanished, from what PostgreSQL holds: detections in the retention window that
 * belong to no event, to no batch (open, closed or fast-path: the aggregator marks each detection's batch in
 * Redis), to no analysis job, and whose detection job is not about to announce them again. They are grouped per
 * camera as the aggregator would have (a new batch after the batch window or an idle gap), and each group goes to
 * {@code analysis_queue}.
 *
 * <p>Claims decide, not the snapshot: each detection is claimed with the aggregator's own marker ({@code SET NX}),
 * so a detection the aggregator adds at the same moment joins exactly one batch. A group's batch id is derived
 * from its first detection, so a pass that dies between claiming and queuing claims the same detections again
 * next time, and the analyze stage writes one event per batch id.
 */
final class OrphanPass {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanPass.class);
    /** The most orphans handled in one pass: the rest wait for the next one. */
    private static final int MAX_ORPHANS = 20_000;
    /** Lets the aggregator mark detections it was handed just before the query, before claims are tried. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    /**
     * KEYS the detections' markers; ARGV[1] the batch id, ARGV[2] the TTL. Returns, per key, 1 when the detection
     * is this batch's (claimed now, or by an earlier try of the same batch), 0 when another batch has it.
     */
    private static final String CLAIM = """
            local claimed = {}
            for i, key in ipairs(KEYS) do
              local ok = redis.call('SET', key, ARGV[1], 'NX', 'EX', ARGV[2])
              claimed[i] = (ok or redis.call('GET', key) == ARGV[1]) and 1 or 0
            end
            return claimed
            """;

    /** An unlinked detection. */
    record Orphan(long id, String cameraId, Instant detectedAt, String filePath) {
    }

    /** What one pass did. */
    record Result(int orphans, int batches) {
    }

    private final Vertx vertx;
    private final Pool pool;
    private final RedisAPI redis;
    private final WorkQueue analysisQueue;
    private final Duration window;
    private final Duration idleTimeout;

    OrphanPass(Vertx vertx, Pool pool, RedisAPI redis, WorkQueue analysisQueue, Duration window, Duration idleTimeout) {
        this.vertx = vertx;
        this.pool = pool;
        this.redis = redis;
        this.analysisQueue = analysisQueue;
        this.window = window;
        this.idleTimeout = idleTimeout;
    }

    Uni<Result> run(Instant windowStart, QueueSnapshot snapshot) {
        return pool.preparedQuery(RecoverySql.DETECTIONS_WITHOUT_EVENT)
                .execute(Tuple.of(windowStart.atOffset(ZoneOffset.UTC), MAX_ORPHANS))
                .map(rows -> {
                    List<Orphan> orphans = new ArrayList<>();
                    for (Row row : rows) {
                        Orphan orphan = new Orphan(row.getLong(0), row.getString(1),
                                row.getOffsetDateTime(2).toInstant(), row.getString(3));
                        if (!snapshot.analysedDetections().contains(orphan.id())
                                && !snapshot.pendingDetectionFiles().contains(orphan.filePath())) {
                            orphans.add(orphan);
                        }
                    }
                    return orphans;
                })
                .onItem().transformToUni(orphans -> orphans.isEmpty()
                        ? Uni.createFrom().item(new Result(0, 0))
                        : Timers.delay(vertx, GRACE).onItem().transformToUni(ignored -> close(group(orphans))));
    }

    private Uni<Result> close(List<List<Orphan>> groups) {
        int[] counts = new int[2];
        return Multi.createFrom().iterable(groups)
                .onItem().transformToUniAndConcatenate(group -> claim(group).onItem().transformToUni(claimed -> {
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    AnalysisJob job = new AnalysisJob(batchId(group), group.get(0).cameraId(),
                            claimed.stream().map(Orphan::id).toList(), Instant.now(), false);
                    counts[0] += claimed.size();
                    counts[1]++;
                    LOG.debug("Reconciliation closed batch {} of camera {} from PostgreSQL: {} detection(s) whose"
                            + " batch was lost", job.batchId(), job.cameraId(), claimed.size());
                    return analysisQueue.push(job.toJson()).replaceWithVoid();
                }))
                .collect().last()
                .map(ignored -> new Result(counts[0], counts[1]));
    }

    /** The group's detections this batch holds now (claimed by it), in order. */
    private Uni<List<Orphan>> claim(List<Orphan> group) {
        List<String> args = new ArrayList<>(List.of(CLAIM, String.valueOf(group.size())));
        group.forEach(orphan -> args.add(RedisKeys.batchOfDetection(orphan.id())));
        args.add(batchId(group));
        args.add(String.valueOf(RedisKeys.BATCH_TTL_SECONDS));
        return redis.eval(args).map(reply -> {
            List<Orphan> claimed = new ArrayList<>();
            int i = 0;
            for (Response flag : reply) {
                if (flag.toInteger() == 1) {
                    claimed.add(group.get(i));
                }
                i++;
            }
            return claimed;
        });
    }

    /** Per camera, in time order: a new group once the window since its first, or the idle gap, has passed. */
    private List<List<Orphan>> group(List<Orphan> orphans) {
        List<List<Orphan>> groups = new ArrayList<>();
        List<Orphan> current = new ArrayList<>();
        for (Orphan orphan : orphans) {
            if (!current.isEmpty()) {
                Orphan first = current.get(0);
                Orphan last = current.get(current.size() - 1);
                boolean sameCamera = first.cameraId().equals(orphan.cameraId());
                boolean inWindow = Duration.between(first.detectedAt(), orphan.detectedAt()).compareTo(window) < 0;
                boolean active = Duration.between(last.detectedAt(), orphan.detectedAt()).compareTo(idleTimeout) < 0;
                if (!sameCamera || !inWindow || !active) {
                    groups.add(current);
                    current = new ArrayList<>();
                }
            }
            current.add(orphan);
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    private static String batchId(List<Orphan> group) {
        return "recovered_" + group.get(0).id();
    }
}
