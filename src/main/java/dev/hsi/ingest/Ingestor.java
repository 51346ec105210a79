package dev.hsi.ingest;

import dev.hsi.bus.DetectionJob;
import dev.hsi.bus.RedisKeys;
import dev.hsi.logging.LogFields;
import dev.hsi.media.DecodedImages;
import dev.hsi.metrics.Stage;
import dev.hsi.metrics.StageTimings;
import dev.hsi.queue.WorkQueue;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.WorkerExecutor;
import io.vertx.mutiny.redis.client.RedisAPI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a finished upload into a job on {@code detection_queue}: check it is a whole image inside a camera
 * folder, drop content seen within the dedupe TTL, register the camera, enqueue. Every rejection is logged once,
 * naming the file and the reason.
 */
final class Ingestor {

    private static final Logger LOG = LoggerFactory.getLogger(Ingestor.class);
    private static final Duration LAST_SEEN_RESOLUTION = Duration.ofSeconds(1);

    /**
     * What became of one upload. DEAD_LETTERED: the detection queue was full and the job went to its DLQ
     * ({@code QUEUE_OVERFLOW_POLICY=dlq}). QUEUE_FULL: the queue was full and refused it
     * ({@code QUEUE_OVERFLOW_POLICY=reject}); the file stays on disk for a later reconciliation to queue. VANISHED: the
     * file was gone before it could be read (renamed, or deleted); a rename is ingested under the new name.
     */
    enum Outcome { QUEUED, DUPLICATE, REJECTED, DEAD_LETTERED, QUEUE_FULL, VANISHED }

    private final Path basePath;
    private final int dedupeTtlSeconds;
    private final WorkerExecutor workers;
    private final RedisAPI redis;
    private final WorkQueue detectionQueue;
    private final CameraRepository cameras;
    private final StageTimings timings;
    private final DecodedImages decodedImages;
    /** When each camera's last_seen_at was last written by this process. */
    private final Map<String, Instant> lastSeenWritten = new ConcurrentHashMap<>();

    Ingestor(Path basePath, int dedupeTtlSeconds, WorkerExecutor workers, RedisAPI redis, WorkQueue detectionQueue,
            CameraRepository cameras, StageTimings timings, DecodedImages decodedImages) {
        this.basePath = basePath;
        this.dedupeTtlSeconds = dedupeTtlSeconds;
        this.workers = workers;
        this.redis = redis;
        this.detectionQueue = detectionQueue;
        this.cameras = cameras;
        this.timings = timings;
        this.decodedImages = decodedImages;
    }

    Uni<Outcome> ingest(Path file, Instant uploadedAt) {
        Path relative = basePath.relativize(file.toAbsolutePath().normalize());
        if (relative.startsWith("..") || relative.getNameCount() < 2) {
            return reject(file, null, "not inside a camera folder under " + basePath);
        }
        String folder = relative.getName(0).toString();
        String cameraId = CameraIds.normalize(folder);
        if (cameraId.isEmpty()) {
            return reject(file, null, "camera folder name '" + folder + "' has no letters or digits");
        }
        return workers.executeBlocking(() -> UploadValidator.validate(file), false)
                .onItem().transformToUni(image -> enqueueIfNew(image, cameraId, folder, uploadedAt))
                .onFailure(VanishedFileException.class).recoverWithItem(e -> vanished(file, e.getMessage()))
                .onFailure(RejectedFileException.class).recoverWithUni(e -> reject(file, cameraId, e.getMessage()));
    }

    /**
     * Registers the camera, then queues the job unless its content was seen within the dedupe TTL: the dedupe mark
     * and the push are one atomic step in Redis (one round trip, and no crash can mark content seen without queueing
     * it).
     */
    private Uni<Outcome> enqueueIfNew(ValidatedUpload image, String cameraId, String folder, Instant uploadedAt) {
        Instant now = Instant.now();
        DetectionJob job = new DetectionJob(
                cameraId, image.path().toString(), now, image.mediaType(), uploadedAt, image.sha256());
        // handed over before the push: the detect stage may take the job the moment it is queued
        boolean handedOver = handOverPixels(image);
        return registerCamera(cameraId, folder, now)
                .onFailure().invoke(failure -> dropPixels(image, handedOver))
                .onItem().transformToUni(ignored -> detectionQueue.pushUnlessSeen(job.toJson(),
                                RedisKeys.dedupe(image.sha256()), image.path().toString(), dedupeTtlSeconds)
                        // the push may have happened with its answer lost: the mark goes, so a retry is not skipped
                        .onFailure().call(failure -> forgetSighting(image, handedOver)))
                .onItem().transformToUni(pushed -> {
                    if (pushed.outcome() != WorkQueue.PushResult.Outcome.DUPLICATE) {
                        return settlePush(pushed, image, handedOver, cameraId, uploadedAt);
                    }
                    dropPixels(image, handedOver);
                    LOG.atInfo().addKeyValue(LogFields.CAMERA_ID, cameraId).log(
                            "Skipped {}: same content as an image received in the last {} s (sha256 {})",
                            image.path(), dedupeTtlSeconds, image.sha256());
                    return Uni.createFrom().item(Outcome.DUPLICATE);
                });
    }

    /** One log line for an upload the full queue did not take; a refused upload may be sent again. */
    private Uni<Outcome> settlePush(WorkQueue.PushResult pushed, ValidatedUpload image, boolean handedOver,
            String cameraId, Instant uploadedAt) {
        String queue = detectionQueue.name();
        switch (pushed.outcome()) {
            case DEAD_LETTERED -> {
                dropPixels(image, handedOver);
                LOG.warn("Queue {} is full ({} jobs): {} of camera {} went to {}; requeue it with POST"
                                + " /api/dlq/requeue-all/{} once the detector catches up", queue, pushed.depth(),
                        image.path(), cameraId, RedisKeys.deadLetter(queue), queue);
                return Uni.createFrom().item(Outcome.DEAD_LETTERED);
            }
            case REJECTED -> {
                dropPixels(image, handedOver);
                LOG.warn("Queue {} is full ({} jobs): {} of camera {} was not queued (QUEUE_OVERFLOW_POLICY=reject);"
                                + " the file stays on disk and is queued again by reconciliation", queue,
                        pushed.depth(), image.path(), cameraId);
                // the push left the content unmarked, so that it may be sent again
                return Uni.createFrom().item(Outcome.QUEUE_FULL);
            }
            case DROPPED_OLDEST -> LOG.warn("Queue {} is full ({} jobs): its oldest job went to {} to make room for {}",
                    queue, pushed.depth(), RedisKeys.deadLetter(queue), image.path());
            default -> LOG.debug("Queued {} for camera {}", image.path(), cameraId);
        }
        timings.record(Stage.UPLOAD_TO_QUEUED, Duration.between(uploadedAt, Instant.now()));
        return Uni.createFrom().item(Outcome.QUEUED);
    }

    /**
     * A new camera's row must exist before its first job is queued (detections reference it). For a known camera
     * only {@code last_seen_at} moves: that update leaves the upload's path, and happens at most once a second.
     */
    private Uni<Void> registerCamera(String cameraId, String folder, Instant now) {
        String folderPath = basePath.resolve(folder).toString();
        Instant touched = lastSeenWritten.get(cameraId);
        if (touched == null) {
            return cameras.markSeen(cameraId, folder, folderPath, now)
                    .invoke(() -> lastSeenWritten.put(cameraId, now));
        }
        if (Duration.between(touched, now).compareTo(LAST_SEEN_RESOLUTION) >= 0) {
            lastSeenWritten.put(cameraId, now);
            cameras.markSeen(cameraId, folder, folderPath, now).subscribe().with(
                    done -> { },
                    failure -> LOG.warn("Could not update last_seen_at of camera {}: {}", cameraId, failure.getMessage()));
        }
        return Uni.createFrom().voidItem();
    }

    /** True when this upload's pixels were kept for the detect stage (not when another job's already are). */
    private boolean handOverPixels(ValidatedUpload image) {
        return image.decoded() != null
                && decodedImages.offer(DecodedImages.key(image.sha256(), image.path().toString()), image.decoded());
    }

    private void dropPixels(ValidatedUpload image, boolean handedOver) {
        if (handedOver) {
            decodedImages.discard(DecodedImages.key(image.sha256(), image.path().toString()));
        }
    }

    /** An upload that could not be queued must not be skipped as a duplicate when it is sent again. */
    private Uni<Void> forgetSighting(ValidatedUpload image, boolean handedOver) {
        dropPixels(image, handedOver);
        return redis.del(List.of(RedisKeys.dedupe(image.sha256()))).replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    private static Outcome vanished(Path file, String reason) {
        LOG.info("Not ingested under the name {}: {}", file, reason);
        return Outcome.VANISHED;
    }

    /** One log line; it carries the camera (the logs table's camera_id) when the file is in a camera's folder. */
    private static Uni<Outcome> reject(Path file, String cameraId, String reason) {
        LOG.atWarn().addKeyValue(LogFields.CAMERA_ID, cameraId).log("Rejected upload {}: {}", file, reason);
        return Uni.createFrom().item(Outcome.REJECTED);
    }
}
