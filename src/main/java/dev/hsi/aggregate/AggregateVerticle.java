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
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregate stage: groups what one camera saw into batches and hands closed batches to
 * {@code analysis_queue}. A confident detection of a fast-path type (a person at 0.90) skips the wait and is
 * analysed at once as its own event. Deploy one instance: its Redis operations run one after another, so an add
 * and a close of the same batch never interleave.
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

    private Uni<Void> analyseAtOnce(StoredDetection detection) {
        AnalysisJob job = new AnalysisJob("fast_path_" + detection.id(), detection.cameraId(),
                List.of(detection.id()), Instant.now(), true);
        LOG.info("Fast path: {} at {} on camera {} is analysed at once",
                detection.objectType(), String.format("%.2f", detection.confidence()), detection.cameraId());
        return analysisQueue.push(job.toJson()).replaceWithVoid();
    }

    private Uni<Void> addToBatch(StoredDetection detection) {
        return batches.add(detection, Instant.now()).replaceWithVoid();
    }

    /** Cameras are independent: their batches are checked and closed side by side. */
    private Uni<Void> closeDueBatches() {
        return batches.camerasWithOpenBatch()
                .onItem().transformToMulti(cameras -> Multi.createFrom().iterable(cameras))
                .onItem().transformToUniAndMerge(camera ->
                        batches.closeIfDue(camera, Instant.now(), config.window(), config.idleTimeout())
                                .onItem().call(this::enqueueClosed))
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> enqueueClosed(Optional<AnalysisJob> closed) {
        if (closed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        AnalysisJob job = closed.get();
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
