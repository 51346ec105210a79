package dev.hsi.detect;

import dev.hsi.bus.DetectionJob;
import dev.hsi.config.DetectConfig;
import dev.hsi.media.DecodedImages;
import dev.hsi.metrics.Stage;
import dev.hsi.metrics.StageTimings;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a group of detection jobs into the objects to store, in two blocking phases that run on different worker
 * pools so that one group's decoding overlaps another group's inference: {@link #load} reads and decodes the
 * pictures, {@link #infer} makes one detector call for all of them. A job that cannot be read fails alone; a
 * detector failure fails the whole group, whose jobs are then retried one by one.
 */
final class UploadDetector {

    /** What became of one job: the objects kept (maybe none), or why it failed. */
    record Result(DetectionJob job, MediaInfo media, List<FoundObject> found, List<Picture> pictures, Throwable failure) {

        static Result failed(DetectionJob job, Throwable failure) {
            return new Result(job, null, List.of(), List.of(), failure);
        }

        /**
         * The time stored as the objects' {@code detected_at}: the upload's time, which the job carries. A job that
         * runs again (redelivered, retried, requeued from the DLQ) gets the same value, so its rows keep one key and
         * are stored once; the same content uploaded again later is a new job with a new time, and new rows.
         */
        Instant detectedAt() {
            return job.uploadedAt();
        }

        /** The picture a stored object was found in (the frame at that offset, for a clip). */
        BufferedImage imageAt(Double frameOffsetSeconds) {
            for (Picture picture : pictures) {
                if (frameOffsetSeconds == null || frameOffsetSeconds.equals(picture.offsetSeconds())) {
                    return picture.frame().image();
                }
            }
            throw new IllegalStateException("no frame at " + frameOffsetSeconds + " s in " + job.filePath());
        }
    }

    /** A picture of an upload: the image itself, or one frame of a clip at its offset. */
    record Picture(Frame frame, Double offsetSeconds) {
    }

    /** A job whose pictures are decoded and ready for the detector, or the job's failure. */
    record Loaded(DetectionJob job, MediaInfo media, List<Picture> pictures, Throwable failure) {
    }

    /** The detector refused a group of pictures; each job is retried alone to find out which one it was. */
    static final class GroupFailed extends RuntimeException {
        GroupFailed(Exception cause) {
            super("detection of a group of images failed (" + cause.getMessage() + "); retrying each image alone", cause);
        }
    }

    /** A file renamed again while it was being looked for is looked for again, this many times at most. */
    private static final int MAX_RELOCATIONS = 3;

    private final Detector detector;
    private final DetectConfig config;
    private final StageTimings timings;
    private final ClipSampler clips;
    private final DecodedImages decodedImages;
    private final RenamedUploads renames;

    UploadDetector(Detector detector, DetectConfig config, StageTimings timings, DecodedImages decodedImages,
            RenamedUploads renames) {
        this.detector = detector;
        this.renames = renames;
        this.decodedImages = decodedImages;
        this.config = config;
        this.timings = timings;
        this.clips = new ClipSampler(config.media());
    }

    /**
     * Phase one: parse each job, find its file under the name its content has now (an upload renamed after it was
     * queued), and decode its pictures (a clip's sampled frames).
     */
    List<Loaded> load(List<String> rawJobs) {
        List<DetectionJob> parsed = new ArrayList<>(rawJobs.size());
        List<Loaded> loaded = new ArrayList<>(rawJobs.size());
        for (String raw : rawJobs) {
            try {
                DetectionJob job = DetectionJob.fromJson(raw);
                timings.record(Stage.QUEUE_WAIT, Duration.between(job.queuedAt(), Instant.now()));
                parsed.add(job);
                loaded.add(null);
            } catch (RuntimeException e) {
                loaded.add(new Loaded(null, null, List.of(), e));
            }
        }
        long started = System.nanoTime();
        // A job whose pixels the ingest stage handed over needs no file, so no look-up: if its upload was renamed
        // meanwhile, RenamedUploads moves its rows once they are stored. The others are looked up together.
        List<DetectionJob> located = renames.locate(parsed, job -> !pixelsHandedOver(job));
        // the look-up is part of reading each job's file: its share is timed with each job's decoding
        double lookupMillis = (System.nanoTime() - started) / 1e6 / Math.max(1, parsed.size());
        int next = 0;
        for (int i = 0; i < loaded.size(); i++) {
            if (loaded.get(i) == null) {
                loaded.set(i, loadRenamedOrNot(parsed.get(next), located.get(next), lookupMillis));
                next++;
            }
        }
        return loaded;
    }

    private boolean pixelsHandedOver(DetectionJob job) {
        return !job.mediaType().equals("video") && decodedImages.holds(DecodedImages.key(job.fileHash(), job.filePath()));
    }

    /**
     * Loads the job's file under its located name. When that file is gone, the upload may have been renamed since it
     * was located: the rename is announced before the file moves, so looking again finds the new name.
     */
    private Loaded loadRenamedOrNot(DetectionJob queued, DetectionJob located, double lookupMillis) {
        DetectionJob job = located;
        for (int attempt = 0; ; attempt++) {
            try {
                return load(queued, job, lookupMillis);
            } catch (RuntimeException e) {
                DetectionJob again = attempt < MAX_RELOCATIONS && !Files.exists(Path.of(job.filePath()))
                        ? renames.relocate(queued) : job;
                if (again.filePath().equals(job.filePath())) {
                    return new Loaded(job, null, List.of(), e);
                }
                job = again;
            }
        }
    }

    /** Phase two: one detector call for all pictures of the jobs that loaded; the others keep their failure. */
    List<Result> infer(List<Loaded> loaded) {
        List<Loaded> ready = loaded.stream().filter(upload -> upload.failure() == null).toList();
        List<Result> detected = detectAll(ready);
        List<Result> results = new ArrayList<>(loaded.size());
        int next = 0;
        for (Loaded upload : loaded) {
            results.add(upload.failure() == null ? detected.get(next++) : Result.failed(upload.job(), upload.failure()));
        }
        return results;
    }

    /** @param queued the job as queued: the pixels handed over by the ingest stage are kept under its name */
    private Loaded load(DetectionJob queued, DetectionJob job, double lookupMillis) {
        long started = System.nanoTime();
        Path file = Path.of(job.filePath());
        Loaded loaded;
        if (job.mediaType().equals("video")) {
            ClipSampler.Sampled clip = clips.sample(file);
            loaded = new Loaded(job, clip.media(), clip.pictures(), null);
        } else {
            Frame frame = decodedImages.take(DecodedImages.key(queued.fileHash(), queued.filePath()))
                    .map(image -> Frame.ofDecodedFile(file, image))
                    .orElseGet(() -> Frame.ofFile(file));
            frame.image(); // decode now, so that a broken file fails this job alone and decoding is timed here
            loaded = new Loaded(job, MediaInfo.image(mimeType(job.filePath())), List.of(new Picture(frame, null)), null);
        }
        // resizing into the model's input happens here too, on the decode pool, not on the inference thread
        detector.prepare(loaded.pictures().stream().map(Picture::frame).toList());
        timings.recordMillis(Stage.DECODE, lookupMillis + (System.nanoTime() - started) / 1e6);
        return loaded;
    }

    private List<Result> detectAll(List<Loaded> loaded) {
        List<Frame> frames = new ArrayList<>();
        loaded.forEach(upload -> upload.pictures().forEach(picture -> frames.add(picture.frame())));
        List<List<DetectedObject>> objects;
        try {
            long started = System.nanoTime();
            objects = frames.isEmpty() ? List.of() : detector.detect(frames);
            double perFrame = (System.nanoTime() - started) / 1e6 / Math.max(1, frames.size());
            frames.forEach(frame -> timings.recordMillis(Stage.INFERENCE, perFrame));
        } catch (Exception e) {
            // a group fails as a whole even when only one picture is refused: retrying each job alone (as a
            // transient failure) lets the good ones through and dead-letters only the one that really fails
            Exception each = loaded.size() > 1 ? new GroupFailed(e) : e;
            return loaded.stream().map(upload -> Result.failed(upload.job(), each)).toList();
        }
        List<Result> results = new ArrayList<>(loaded.size());
        int index = 0;
        for (Loaded upload : loaded) {
            List<FoundObject> kept = new ArrayList<>();
            for (Picture picture : upload.pictures()) {
                for (DetectedObject object : objects.get(index++)) {
                    if (object.confidence() >= config.confidenceThreshold()
                            && config.objectTypes().contains(object.label())) {
                        kept.add(new FoundObject(object, picture.offsetSeconds(), picture.frame().width(),
                                picture.frame().height()));
                    }
                }
            }
            timings.record(Stage.QUEUED_TO_DETECTED, Duration.between(upload.job().queuedAt(), Instant.now()));
            results.add(new Result(upload.job(), upload.media(), kept, upload.pictures(), null));
        }
        return results;
    }

    private static String mimeType(String filePath) {
        return filePath.toLowerCase().endsWith(".png") ? "image/png" : "image/jpeg";
    }
}
