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
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detect stage: consumes {@code detection_queue}, runs the detector on a dedicated worker pool, stores one row
 * per object kept (a group's uploads in one statement), then tells the aggregator over the event bus and draws the
 * thumbnails. When images wait in the
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
    private GroupWriter writer;
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
        writer = new GroupWriter(detections, timings);
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

    /**
     * Detects a group of jobs in one detector call, stores the results of all jobs that got one in one statement
     * ({@link GroupWriter}), then announces and thumbnails each job; one outcome per job.
     */
    private Uni<List<Optional<Throwable>>> process(List<String> rawJobs) {
        return decoding.executeBlocking(() -> uploads.load(rawJobs), false)
                .onItem().transformToUni(loaded -> detectorBreaker.callWhenAllowed(
                        () -> inference.executeBlocking(() -> uploads.infer(loaded), false),
                        results -> detectorFailure(loaded, results)))
                .onItem().transformToUni(this::storeAndAnnounce);
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

    private Uni<List<Optional<Throwable>>> storeAndAnnounce(List<UploadDetector.Result> results) {
        List<UploadDetector.Result> detected = results.stream().filter(result -> result.failure() == null).toList();
        return writer.store(detected.stream().map(this::toUpload).toList()).onItem().transformToUni(outcomes -> {
            // every job's detections are announced before any thumbnail is drawn: thumbnails never delay an event
            for (int i = 0; i < detected.size(); i++) {
                announce(detected.get(i), outcomes.get(i));
            }
            Iterator<GroupWriter.Outcome> outcome = outcomes.iterator();
            return Multi.createFrom().iterable(results)
                    .onItem().transformToUniAndConcatenate(result -> result.failure() != null
                            ? Uni.createFrom().item(Optional.of(result.failure()))
                            : finish(result, outcome.next()))
                    .collect().asList();
        });
    }

    /** A stored job's outcome, once its thumbnails are drawn; a job whose rows could not be stored fails. */
    private Uni<Optional<Throwable>> finish(UploadDetector.Result result, GroupWriter.Outcome outcome) {
        if (outcome.failure() != null) {
            return Uni.createFrom().item(Optional.of(outcome.failure()));
        }
        return drawThumbnails(result, outcome.rows()).map(done -> Optional.empty());
    }

    private DetectionRepository.Upload toUpload(UploadDetector.Result result) {
        DetectionJob job = result.job();
        List<List<String>> zoneIds = result.found().stream().map(found -> zones.zonesOf(job.cameraId(), found)).toList();
        return new DetectionRepository.Upload(job.cameraId(), job.filePath(), job.fileHash(), result.detectedAt(),
                result.media(), result.found(), zoneIds);
    }

    /** A job that ran before got its stored rows back and announces them again: the aggregator knows them. */
    private void announce(UploadDetector.Result result, GroupWriter.Outcome outcome) {
        DetectionJob job = result.job();
        if (outcome.failure() != null) {
            return;
        }
        if (outcome.rows().isEmpty()) {
            LOG.debug("{}: nothing kept for camera {}", job.filePath(), job.cameraId());
            return;
        }
        vertx.eventBus().publish(Addresses.DETECTIONS_STORED, new DetectionsStored(job.cameraId(), job.filePath(),
                detectionsOf(outcome.rows()), job.uploadedAt()));
    }

    /** Thumbnails come after the announcement, so they never delay an event; a failure here is only logged. */
    private Uni<Void> drawThumbnails(UploadDetector.Result result, List<DetectionRepository.Stored> stored) {
        if (stored.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
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
