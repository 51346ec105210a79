package dev.hsi.detect;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Instant;
import java.util.List;

/**
 * The detect stage's own writer ({@link DetectionRepository#insert}, with its SQL text and statement shape: one
 * statement per upload) opened to benchmarks outside this package, so that they load rows exactly as the server does.
 */
public final class AppDetectionWriter {

    private final DetectionRepository repository;

    /** The picture the boxes are in (a 1080p camera); it only matters for zones, and there are none here. */
    private static final int FRAME_WIDTH = 1920;
    private static final int FRAME_HEIGHT = 1080;

    public AppDetectionWriter(Pool pool) {
        this.repository = new DetectionRepository(pool);
    }

    /** One object of an upload: label, confidence and box in pixels. */
    public record Box(String label, double confidence, int x, int y, int width, int height) {
    }

    /** Stores the objects of one image upload, as the detect stage does; returns how many rows the upload has. */
    public Uni<Integer> write(String cameraId, String filePath, String fileHash, Instant detectedAt, List<Box> boxes) {
        List<FoundObject> found = boxes.stream()
                .map(b -> new FoundObject(new DetectedObject(b.label(), b.confidence(), b.x(), b.y(), b.width(),
                        b.height()), null, FRAME_WIDTH, FRAME_HEIGHT))
                .toList();
        List<List<String>> noZones = found.stream().map(object -> List.<String>of()).toList();
        return repository.insert(cameraId, filePath, fileHash, detectedAt, MediaInfo.image("image/jpeg"), found,
                noZones).map(List::size);
    }
}
