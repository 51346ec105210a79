package dev.hsi.detect;

import dev.hsi.bus.Addresses;
import dev.hsi.bus.DetectionJob;
import dev.hsi.bus.DetectionsStored;
import dev.hsi.bus.RedisKeys;
import dev.hsi.bus.StoredDetection;
import dev.hsi.config.DetectConfig;
import dev.hsi.metrics.Stage;
import dev.hsi.metrics.StageTimings;
import dev.hsi.queue.PermanentFailure;
import dev.hsi.queue.QueueConsumer;
import dev.hsi.queue.WorkQueue;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.mutiny.core.WorkerExecutor;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detect stage: consumes {@code detection_queue}, runs the detector on a dedicated worker pool, stores one row
 * per object kept, then tells the aggregator over the event bus. Each consumer loop runs one image at a time, so
 * DETECTOR_WORKERS bounds the images in memory.
 */
public final class DetectVerticle extends AbstractVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(DetectVerticle.class);

    private final DetectConfig config;
    private final Detector detector;
    private final Pool pool;
    private final Redis redisClient;
    private final RedisAPI redis;
    private final StageTimings timings;
    private final List<QueueConsumer> consumers = new ArrayList<>();
    private WorkerExecutor inference;
    private DetectionRepository detections;

    public DetectVerticle(DetectConfig config, Detector detector, Pool pool, Redis redisClient, RedisAPI redis,
            StageTimings timings) {
        this.config = config;
        this.detector = detector;
        this.pool = pool;
        this.redisClient = redisClient;
        this.redis = redis;
        this.timings = timings;
    }

    @Override
    public Uni<Void> asyncStart() {
        inference = vertx.createSharedWorkerExecutor("hsi-inference", config.workers());
        detections = new DetectionRepository(pool);
        WorkQueue queue = new WorkQueue(redis, RedisKeys.DETECTION_QUEUE);
        return queue.recoverInFlight()
                .invoke(recovered -> {
                    if (recovered > 0) {
                        LOG.info("Re-queued {} detection job(s) left unfinished by the previous run", recovered);
                    }
                    for (int i = 0; i < config.workers(); i++) {
                        QueueConsumer consumer = new QueueConsumer(vertx, redisClient, queue, this::process);
                        consumers.add(consumer);
                        consumer.start();
                    }
                    LOG.info("Detector: {}; keeping {} at confidence >= {}",
                            detector.describe(), config.objectTypes(), config.confidenceThreshold());
                })
                .replaceWithVoid();
    }

    private Uni<Void> process(String rawJob) {
        DetectionJob job = DetectionJob.fromJson(rawJob);
        return inference.executeBlocking(() -> detect(job), false)
                .onItem().transformToUni(found -> store(job, found))
                .invoke(stored -> {
                    if (!stored.isEmpty()) {
                        vertx.eventBus().publish(Addresses.DETECTIONS_STORED,
                                new DetectionsStored(job.cameraId(), job.filePath(), stored, job.uploadedAt()));
                    }
                    LOG.debug("{}: {} object(s) stored for camera {}", job.filePath(), stored.size(), job.cameraId());
                })
                .replaceWithVoid();
    }

    /** Runs on the inference pool: decode, infer, keep the security classes above the threshold. */
    private List<DetectedObject> detect(DetectionJob job) throws Exception {
        timings.record(Stage.QUEUE_WAIT, Duration.between(job.queuedAt(), Instant.now()));
        long reading = System.nanoTime();
        BufferedImage image = read(Path.of(job.filePath()));
        timings.recordMillis(Stage.DECODE, (System.nanoTime() - reading) / 1e6);
        long started = System.nanoTime();
        List<DetectedObject> all = detector.detect(image);
        timings.recordMillis(Stage.INFERENCE, (System.nanoTime() - started) / 1e6);
        timings.record(Stage.QUEUED_TO_DETECTED, Duration.between(job.queuedAt(), Instant.now()));
        return all.stream()
                .filter(o -> o.confidence() >= config.confidenceThreshold())
                .filter(o -> config.objectTypes().contains(o.label()))
                .toList();
    }

    private Uni<List<StoredDetection>> store(DetectionJob job, List<DetectedObject> found) {
        if (found.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        long started = System.nanoTime();
        return detections.insertImageDetections(job.cameraId(), job.filePath(), mimeType(job.filePath()),
                        job.fileHash(), Instant.now(), found)
                .invoke(stored -> timings.recordMillis(Stage.DETECTED_TO_STORED, (System.nanoTime() - started) / 1e6));
    }

    private static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new PermanentFailure("image file no longer exists: " + file);
        }
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new PermanentFailure("not a decodable image: " + file);
            }
            return image;
        } catch (IOException e) {
            throw new PermanentFailure("image does not decode: " + file + ": " + e.getMessage(), e);
        }
    }

    private static String mimeType(String filePath) {
        return filePath.toLowerCase().endsWith(".png") ? "image/png" : "image/jpeg";
    }

    @Override
    public Uni<Void> asyncStop() {
        consumers.forEach(QueueConsumer::stop);
        return Uni.createFrom().voidItem();
    }
}
