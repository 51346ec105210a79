package dev.hsi.media;

/**
 * What ffprobe says of a clip's first video stream. {@code durationSeconds} is 0 when neither the container nor
 * the stream records one (some live-recorded files); the clip may still be sampled.
 */
public record VideoInfo(double durationSeconds, String codec, int width, int height) {
}
