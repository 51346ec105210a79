package dev.hsi.api;

import dev.hsi.detect.DetectedObject;
import dev.hsi.media.FastImages;
import dev.hsi.media.ThumbnailWriter;
import dev.hsi.media.VideoFrame;
import dev.hsi.media.VideoFrames;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The thumbnail of a detection: the file the detect stage wrote, or, when it is missing (deleted, or the detection
 * predates thumbnails), one drawn now from the source image or clip frame and kept for next time. Blocking.
 */
final class DetectionImages {

    private final ThumbnailWriter thumbnails;

    DetectionImages(ThumbnailWriter thumbnails) {
        this.thumbnails = thumbnails;
    }

    /** @param source the detection's row: file_path, media_type, the box, enrichment_data (frame offset of a clip) */
    byte[] thumbnail(long id, JsonObject source) throws IOException {
        Path existing = thumbnails.pathFor(id);
        if (Files.isRegularFile(existing)) {
            return Files.readAllBytes(existing);
        }
        Path file = Path.of(source.getString("file_path"));
        if (!Files.isRegularFile(file)) {
            throw ApiError.notFound("Detection " + id + " has no thumbnail and its source file " + file
                    + " no longer exists");
        }
        DetectedObject box = new DetectedObject(source.getString("object_type"), source.getDouble("confidence"),
                source.getInteger("bbox_x"), source.getInteger("bbox_y"),
                source.getInteger("bbox_width"), source.getInteger("bbox_height"));
        BufferedImage picture = "video".equals(source.getString("media_type"))
                ? frameOf(file, source.getJsonObject("enrichment_data"))
                : FastImages.decode(Files.readAllBytes(file)); // as the detect stage decoded it
        if (picture == null) {
            throw ApiError.notFound("Detection " + id + ": its source file " + file + " no longer decodes");
        }
        return Files.readAllBytes(thumbnails.write(id, picture, box));
    }

    /** The clip's frame the object was found in: sampling at its offset gives frames at 0 and at the offset. */
    private static BufferedImage frameOf(Path clip, JsonObject enrichment) {
        double offset = enrichment == null ? 0 : enrichment.getDouble("frame_offset_seconds", 0.0);
        List<VideoFrame> frames = offset <= 0
                ? VideoFrames.sample(clip, Duration.ofSeconds(1), 1)
                : VideoFrames.sample(clip, Duration.ofMillis(Math.round(offset * 1000)), 2);
        return frames.get(frames.size() - 1).image();
    }
}
