package dev.hsi.detect;

import dev.hsi.metrics.StageTimings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Instant;
import java.util.List;

/**
 * The detect stage's own writer ({@link GroupWriter} over {@link DetectionRepository#store}: the same SQL text and
 * statement shape, one statement per detector group writing its detections and its {@code processed_uploads} rows,
 * with the per-upload fallback) opened to benchmarks outside this package, so that they load rows exactly as the
 * server does.
 */
public final class AppDetectionWriter {

    /** The picture the boxes are in (a 1080p camera); it only matters for zones, and there are none here. */
    private static final int FRAME_WIDTH = 1920;
    private static final int FRAME_HEIGHT = 1080;

    private final GroupWriter writer;

    public AppDetectionWriter(Pool pool) {
        this.writer = new GroupWriter(new DetectionRepository(pool), new StageTimings());
    }

    /** One object of an upload: label, confidence and box in pixels. */
    public record Box(String label, double confidence, int x, int y, int width, int height) {
    }

    /** One image upload: what the detect stage stores for it. */
    public record Upload(String cameraId, String filePath, String fileHash, Instant detectedAt, List<Box> boxes) {
    }

    /**
     * Stores the objects of a group of image uploads (one detector group) and marks them processed, as the detect
     * stage does; returns how many rows the group's uploads have. Fails if any upload could not be stored.
     */
    public Uni<Integer> write(List<Upload> group) {
        return writer.store(group.stream().map(AppDetectionWriter::toUpload).toList()).map(outcomes -> {
            int rows = 0;
            for (GroupWriter.Outcome outcome : outcomes) {
                if (outcome.failure() != null) {
                    throw new IllegalStateException("the writer failed: " + outcome.failure().getMessage(),
                            outcome.failure());
                }
                rows += outcome.rows().size();
            }
            return rows;
        });
    }

    private static DetectionRepository.Upload toUpload(Upload upload) {
        List<FoundObject> found = upload.boxes().stream()
                .map(b -> new FoundObject(new DetectedObject(b.label(), b.confidence(), b.x(), b.y(), b.width(),
                        b.height()), null, FRAME_WIDTH, FRAME_HEIGHT))
                .toList();
        List<List<String>> noZones = found.stream().map(object -> List.<String>of()).toList();
        return new DetectionRepository.Upload(upload.cameraId(), upload.filePath(), upload.fileHash(),
                upload.detectedAt(), MediaInfo.image("image/jpeg"), found, noZones);
    }
}
