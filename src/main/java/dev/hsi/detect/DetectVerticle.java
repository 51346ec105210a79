package dev.hsi.detect;

import dev.hsi.bus.Addresses;
import dev.hsi.bus.DetectionJob;
import dev.hsi.bus.DetectionsStored;
import dev.hsi.bus.RedisKeys;
import dev.hsi.bus.StoredDetection;
import dev.hsi.bus.ZonesChanged;
import dev.hsi.config.DetectConfig;
import dev.hsi.media.DecodedImages;
import dev.hsi.config.QueueConfig;
import dev.hsi.media.FastImages;
import dev.hsi.media.ThumbnailWriter;
import dev.hsi.metrics.Stage;
import dev.hsi.metrics.StageTimings;
import dev.hsi.queue.PermanentFailure;
import dev.hsi.queue.QueueConsumer;
import dev.hsi.queue.WorkQueue;
import dev.hsi.resilience.Breaker;
import dev.hsi.resilience.CircuitBreakers;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.mutiny.core.WorkerExecutor;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detect stage: consumes {@code detection_queue}, runs the detector on a dedicated worker pool, stores one row
 * per object kept, then tells the aggregator over the event bus and draws the thumbnails. When images wait in the
 * queue, a loop takes up to {@code DETECTOR_MAX_BATCH} of them and the detector sees them in one call. At most
 * 2 × DETECTOR_WORKERS × DETECTOR_MAX_BATCH images are in memory; the rest wait in Redis.
 *
 * <p>Each object is stored with the ids of the camera's enabled zones its bottom-centre stands in, looked up in an
 * in-memory {@link ZoneIndex} (loaded at start, reloaded on {@code ZonesChanged} and every five minutes), so zones
 * cost no query per image.
 *
 * <p>Detector calls go through the {@code detector} circuit breaker. While it is open, a loop holds its claimed jobs
 * (in its processing list, so a crash loses none) and waits instead of failing them, so an outage
 * never dead-letters a job; the other jobs wait in Redis.
 */
public final class DetectVerticle extends AbstractVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(DetectVerticle.class);
    /** A safety net for zones edited in SQL behind the API's back; API changes reload at once. */
    private static final Duration ZONE_RELOAD_INTERVAL = Duration.ofMinutes(5);

    private final DetectConfig config;
    private final DecodedImages decodedImages;
    private final QueueConfig queues;
    private final Detector detector;
    private final Pool pool;
    private final Redis redisClient;
    private final RedisAPI redis;
    private final StageTimings timings;
    private final CircuitBreakers breakers;
    private final List<QueueConsumer> consumers = new ArrayList<>();
    private Breaker detectorBreaker;
    private WorkerExecutor decoding;
    private WorkerExecutor inference;
    private DetectionRepository detections;
    private UploadDetector uploads;
    private ThumbnailWriter thumbnails;
    private final ZoneIndex zones = new ZoneIndex();
    private ZoneLoader zoneLoader;

    /** @param breakers the server's circuit breakers; null gives this verticle its own, with default settings */
    public DetectVerticle(DetectConfig config, QueueConfig queues, Detector detector, Pool pool, Redis redisClient,
            RedisAPI redis, StageTimings timings, CircuitBreakers breakers, DecodedImages decodedImages) {
        this.config = config;
        this.queues = queues;
        this.decodedImages = decodedImages;
        this.detector = detector;
        this.pool = pool;
        this.redisClient = redisClient;
        this.redis = redis;
        this.timings = timings;
        this.breakers = breakers;
    }

    @Override
    public Uni<Void> asyncStart() {
        // one inference lane per DETECTOR_WORKERS, and two consumer loops per lane: while one loop's images are
        // inferred, the other's are being read and decoded, so the detector never waits for a JPEG decoder
        int loops = 2 * config.workers();
        decoding = vertx.createSharedWorkerExecutor("hsi-decode", config.workers());
        inference = vertx.createSharedWorkerExecutor("hsi-inference", config.workers());
        detections = new DetectionRepository(pool);
        uploads = new UploadDetector(detector, config, timings, decodedImages, RenamedUploads.start(vertx, pool, redis));
        thumbnails = new ThumbnailWriter(config.media());
        detectorBreaker = (breakers != null ? breakers : CircuitBreakers.withDefaults(vertx)).detector();
        WorkQueue queue = new WorkQueue(redis, RedisKeys.DETECTION_QUEUE, queues);
        int batch = Math.min(config.maxBatch(), Math.max(1, detector.maxBatch()));
        zoneLoader = new ZoneLoader(pool, zones);
        vertx.eventBus().<ZonesChanged>consumer(Addresses.ZONES_CHANGED).handler(changed -> zoneLoader.reload());
        vertx.setPeriodic(ZONE_RELOAD_INTERVAL.toMillis(), id -> zoneLoader.reload());
        return zoneLoader.load()
                .invoke(count -> {
                    LOG.info("Zone index: {} enabled zone(s)", count);
                    for (int i = 0; i < loops; i++) {
                        QueueConsumer consumer = new QueueConsumer(vertx, redisClient, queue, batch, this::process);
                        consumers.add(consumer);
                        consumer.start();
                    }
                    LOG.info("Detector: {}; images decoded with {}; up to {} image(s) per call; keeping {} at "
                            + "confidence >= {}", detector.describe(), FastImages.implementation(), batch,
                            config.objectTypes(), config.confidenceThreshold());
                })
                .replaceWithVoid();
    }

    /** Detects a group of jobs in one detector call, then stores each job's objects; one outcome per job. */
    private Uni<List<Optional<Throwable>>> process(List<String> rawJobs) {
        return decoding.executeBlocking(() -> uploads.load(rawJobs), false)
                .onItem().transformToUni(loaded -> detectorBreaker.callWhenAllowed(
                        () -> inference.executeBlocking(() -> uploads.infer(loaded), false),
                        results -> detectorFailure(loaded, results)))
                .onItem().transformToMulti(results -> Multi.createFrom().iterable(results))
                .onItem().transformToUniAndConcatenate(this::storeAndAnnounce)
                .collect().asList();
    }

    /**
     * The detector's own failure in a group's results, which the breaker counts: not a job that failed to load, and
     * not an image the detector refused ({@link PermanentFailure}, an HTTP 4xx), as the original's breaker does.
     */
    private static Throwable detectorFailure(List<UploadDetector.Loaded> loaded, List<UploadDetector.Result> results) {
        for (int i = 0; i < loaded.size(); i++) {
            Throwable failure = results.get(i).failure();
            if (loaded.get(i).failure() == null && failure != null && !refusedImage(failure)) {
                return failure;
            }
        }
        return null;
    }

    private static boolean refusedImage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PermanentFailure) {
                return true;
            }
        }
        return false;
    }

    private Uni<Optional<Throwable>> storeAndAnnounce(UploadDetector.Result result) {
        if (result.failure() != null) {
            return Uni.createFrom().item(Optional.of(result.failure()));
        }
        DetectionJob job = result.job();
        Uni<Void> processed = detections.recordProcessed(job.filePath(), result.detectedAt(), job.fileHash(),
                job.cameraId(), result.found().size());
        if (result.found().isEmpty()) {
            LOG.debug("{}: nothing kept for camera {}", job.filePath(), job.cameraId());
            return processed.map(done -> Optional.<Throwable>empty()).onFailure().recoverWithItem(Optional::of);
        }
        long started = System.nanoTime();
        List<List<String>> zoneIds = result.found().stream().map(found -> zones.zonesOf(job.cameraId(), found)).toList();
        // a job that ran before gets its stored rows back and announces them again: the aggregator knows them
        return detections.insert(job.cameraId(), job.filePath(), job.fileHash(), result.detectedAt(), result.media(),
                        result.found(), zoneIds)
                .onItem().call(stored -> processed)
                .invoke(stored -> timings.recordMillis(Stage.DETECTED_TO_STORED, (System.nanoTime() - started) / 1e6))
                .invoke(stored -> vertx.eventBus().publish(Addresses.DETECTIONS_STORED, new DetectionsStored(
                        job.cameraId(), job.filePath(), detectionsOf(stored), job.uploadedAt())))
                .onItem().transformToUni(stored -> drawThumbnails(result, stored))
                .map(done -> Optional.<Throwable>empty())
                .onFailure().recoverWithItem(Optional::of);
    }

    /** Thumbnails come after the announcement, so they never delay an event; a failure here is only logged. */
    private Uni<Void> drawThumbnails(UploadDetector.Result result, List<DetectionRepository.Stored> stored) {
        return decoding.executeBlocking(() -> {
                    long started = System.nanoTime();
                    List<Path> paths = new ArrayList<>(stored.size());
                    for (DetectionRepository.Stored row : stored) {
                        paths.add(thumbnails.write(row.detection().id(),
                                result.imageAt(row.frameOffsetSeconds()), row.box()));
                    }
                    timings.recordMillis(Stage.THUMBNAILS, (System.nanoTime() - started) / 1e6);
                    return paths;
                }, false)
                .onItem().transformToUni(paths -> detections.setThumbnails(detectionsOf(stored), paths))
                .onFailure().invoke(failure -> LOG.warn("Thumbnails of {} failed: {}",
                        result.job().filePath(), failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    @Override
    public Uni<Void> asyncStop() {
        consumers.forEach(QueueConsumer::stop);
        return Uni.createFrom().voidItem();
    }

    private static List<StoredDetection> detectionsOf(List<DetectionRepository.Stored> stored) {
        return stored.stream().map(DetectionRepository.Stored::detection).toList();
    }
}
