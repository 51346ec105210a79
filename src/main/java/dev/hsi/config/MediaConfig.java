package dev.hsi.config;

import java.nio.file.Path;
import java.time.Duration;

/** Thumbnails of detections, and how video clips are sampled for detection. */
public record MediaConfig(
        Path thumbnailDir, int thumbnailWidth, int thumbnailHeight, int thumbnailQuality,
        Duration videoFrameInterval, int videoMaxFrames, long decodedImageCacheBytes) {

    public static final String THUMBNAIL_WIDTH = "THUMBNAIL_WIDTH";
    public static final String THUMBNAIL_HEIGHT = "THUMBNAIL_HEIGHT";
    public static final String THUMBNAIL_QUALITY = "THUMBNAIL_QUALITY";
    public static final String VIDEO_FRAME_INTERVAL_SECONDS = "VIDEO_FRAME_INTERVAL_SECONDS";
    public static final String VIDEO_MAX_FRAMES = "VIDEO_MAX_FRAMES";
    /** Memory for pictures decoded at ingest and handed to the detect stage (0 turns the hand-over off). */
    public static final String DECODED_IMAGE_CACHE_MB = "DECODED_IMAGE_CACHE_MB";

    static MediaConfig read(EnvReader env, Path dataDir) {
        return new MediaConfig(
                dataDir.resolve("thumbnails"),
                env.integer(THUMBNAIL_WIDTH, 320, 16, 4096),
                env.integer(THUMBNAIL_HEIGHT, 240, 16, 4096),
                env.integer(THUMBNAIL_QUALITY, 85, 1, 100),
                Seconds.of(env.decimal(VIDEO_FRAME_INTERVAL_SECONDS, 4.0, 0.1, 3600)),
                env.integer(VIDEO_MAX_FRAMES, 20, 1, 1000),
                env.integer(DECODED_IMAGE_CACHE_MB, 64, 0, 16384) * 1024L * 1024L);
    }
}
