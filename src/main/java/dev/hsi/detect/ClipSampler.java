package dev.hsi.detect;

import dev.hsi.config.MediaConfig;
import dev.hsi.media.VideoFrames;
import dev.hsi.media.VideoInfo;
import dev.hsi.media.VideoProbe;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Picks the frames of a clip to detect: one every VIDEO_FRAME_INTERVAL_SECONDS, at most VIDEO_MAX_FRAMES. */
final class ClipSampler {

    /** A sampled clip: its properties for the detection rows, and its frames with their offsets. */
    record Sampled(MediaInfo media, List<UploadDetector.Picture> pictures) {
    }

    private final MediaConfig config;

    ClipSampler(MediaConfig config) {
        this.config = config;
    }

    /** Blocking (runs ffprobe and ffmpeg). A corrupt clip is a permanent failure with the reason. */
    Sampled sample(Path clip) {
        VideoInfo info = VideoProbe.probe(clip);
        String name = clip.getFileName().toString();
        List<UploadDetector.Picture> pictures = VideoFrames.sample(clip, info, config.videoFrameInterval(), config.videoMaxFrames())
                .stream()
                .map(frame -> new UploadDetector.Picture(
                        Frame.ofImage(name + "@" + frame.offsetSeconds() + "s", frame.image()), frame.offsetSeconds()))
                .toList();
        MediaInfo media = new MediaInfo("video", mimeType(name), info.durationSeconds(), info.codec(), info.width(),
                info.height());
        return new Sampled(media, pictures);
    }

    private static String mimeType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (extension) {
            case "mkv" -> "video/x-matroska";
            case "avi" -> "video/x-msvideo";
            case "mov" -> "video/quicktime";
            default -> "video/mp4";
        };
    }
}
