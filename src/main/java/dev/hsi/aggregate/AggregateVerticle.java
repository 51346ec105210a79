package dev.hsi.aggregate;

import dev.hsi.bus.Addresses;
import dev.hsi.bus.AnalysisJob;
import dev.hsi.bus.DetectionsStored;
import dev.hsi.bus.RedisKeys;
import dev.hsi.bus.StoredDetection;
import dev.hsi.config.BatchConfig;
import dev.hsi.queue.WorkQueue;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.UniHelper;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.mutiny.core.eventbus.Message;
import io.vertx.mutiny.redis.client.RedisAPI;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregate stage: groups what one camera saw into batches and hands closed batches to
 * {@code analysis_queue}. A confident detection of a fast-path type (a person at 0.90) skips the wait and is
 * analysed at once as its own event. Deploy one instance: its Redis operations run one after another, so an add
 * and a close of the same batch never interleave.
 *
 * <p>A detection can be announced more than once (its detection job ran again after a crash): it joins one batch,
 * or one fast-path analysis, whatever the number of announcements (see {@link BatchStore}).
 */
public final class AggregateVerticle extends AbstractVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(AggregateVerticle.class);

    private final BatchConfig config;
    private final RedisAPI redis;
    private BatchStore batches;
    private WorkQueue analysisQueue;
    private Future<Void> tail = Future.succeededFuture();

    public AggregateVerticle(BatchConfig config, RedisAPI redis) {
        this.config = config;
        this.redis = redis;
    }

    @Override
    public Uni<Void> asyncStart() {
        batches = new BatchStore(redis);
        analysisQueue = new WorkQueue(redis, RedisKeys.ANALYSIS_QUEUE);
        vertx.setPeriodic(config.checkInterval().toMillis(), id -> serially(this::closeDueBatches));
        return vertx.eventBus().<DetectionsStored>consumer(Addresses.DETECTIONS_STORED)
                .handler(this::onDetectionsStored)
                .completionHandler();
    }

    private void onDetectionsStored(Message<DetectionsStored> message) {
        for (StoredDetection detection : message.body().detections()) {
            serially(() -> isFastPath(detection) ? analyseAtOnce(detection) : addToBatch(detection));
        }
    }

    private boolean isFastPath(StoredDetection detection) {
        return detection.confidence() >= config.fastPathConfidence()
                && config.fastPathObjectTypes().contains(detection.objectType().toLowerCase());
    }

    /**
     * Hands the detection to analysis as its own batch, once: a detection announced again (its detection job ran
     * again) already has its fast-path batch. The job is pushed before the detection is marked, so a crash in
     * between pushes it again on the next announcement rather than never; its batch id is derived from the
     * detection, so the analyze stage still writes one event.
     */
    private Uni<Void> analyseAtOnce(StoredDetection detection) {
        return batches.hasBatch(detection.id()).flatMap(batched -> {
            if (batched) {
                LOG.info("Detection {} was announced again; it is already being analysed on the fast path",
                        detection.id());
                return Uni.createFrom().voidItem();
            }
            AnalysisJob job = new AnalysisJob("fast_path_" + detection.id(), detection.cameraId(),
                    List.of(detection.id()), Instant.now(), true);
            LOG.info("Fast path: {} at {} on camera {} is analysed at once",
                    detection.objectType(), String.format("%.2f", detection.confidence()), detection.cameraId());
            return analysisQueue.push(job.toJson())
                    .flatMap(pushed -> batches.markFastPath(detection.id(), job.batchId()));
        });
    }

    private Uni<Void> addToBatch(StoredDetection detection) {
        return batches.add(detection, Instant.now())
                .invoke(added -> {
                    if (!added) {
                        LOG.info("Detection {} was announced again; it already belongs to a batch", detection.id());
                    }
                })
                .replaceWithVoid();
    }

    /** Cameras are independent: their batches are checked and closed side by side. */
    private Uni<Void> closeDueBatches() {
        return batches.camerasWithOpenBatch()
                .onItem().transformToMulti(cameras -> Multi.createFrom().iterable(cameras))
                .onItem().transformToUniAndMerge(camera ->
                        batches.closeIfDue(camera, Instant.now(), config.window(), config.idleTimeout(),
                                this::enqueueClosed))
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> enqueueClosed(AnalysisJob job) {
        LOG.info("Batch {} of camera {} closed with {} detection(s)",
                job.batchId(), job.cameraId(), job.detectionIds().size());
        return analysisQueue.push(job.toJson()).replaceWithVoid();
    }

    /** Chains the operation after every earlier one; a failure is logged and does not stop the chain. */
    private void serially(Supplier<Uni<Void>> operation) {
        tail = tail.transform(previous -> UniHelper.toFuture(Uni.createFrom().deferred(operation::get)
                .onFailure().invoke(failure -> LOG.error("Batch aggregation failed: {}", failure.getMessage()))
                .onFailure().recoverWithNull()));
    }
}
