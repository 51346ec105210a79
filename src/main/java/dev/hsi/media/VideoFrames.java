package dev.hsi.media;

import dev.hsi.queue.PermanentFailure;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Takes evenly spaced frames from a clip with the system's ffmpeg, for detection. Blocking. */
public final class VideoFrames {

    private VideoFrames() {
    }

    /**
     * The frames showing at 0, interval, 2 × interval, ... before the clip's end, at most {@code maxFrames}.
     * Probes the clip first; use {@link #sample(Path, VideoInfo, Duration, int)} when that was already done.
     *
     * @throws PermanentFailure the clip is gone or cannot be decoded
     * @throws IllegalStateException ffmpeg is not installed
     */
    public static List<VideoFrame> sample(Path clip, Duration interval, int maxFrames) {
        checkArguments(interval, maxFrames);
        return sample(clip, VideoProbe.probe(clip), interval, maxFrames);
    }

    public static List<VideoFrame> sample(Path clip, VideoInfo info, Duration interval, int maxFrames) {
        return sample(clip, info, interval, maxFrames, FfmpegRunner.TIMEOUT);
    }

    static List<VideoFrame> sample(Path clip, VideoInfo info, Duration interval, int maxFrames, Duration timeout) {
        checkArguments(interval, maxFrames);
        VideoProbe.requireFile(clip);
        // Whole milliseconds for both ffmpeg's rate and the offsets, so the two always agree.
        long millis = Math.max(1, interval.toMillis());
        double step = millis / 1000.0;
        int wanted = maxFrames;
        if (info.durationSeconds() > 0) {
            wanted = (int) Math.min(maxFrames, Math.ceil(info.durationSeconds() / step));
        }
        Path directory = null;
        try {
            directory = Files.createTempDirectory("hsi-video-frames-");
            FfmpegRunner.Result result = FfmpegRunner.run(command(clip, millis, wanted, directory), timeout, clip);
            if (result.exitCode() != 0) {
                throw new PermanentFailure("not a playable video: " + result.firstErrorLine());
            }
            List<VideoFrame> frames = decode(directory, step, info.durationSeconds());
            if (frames.isEmpty()) {
                throw new PermanentFailure("not a playable video: no frame could be decoded from " + clip);
            }
            return frames;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sample frames of " + clip + ": " + e.getMessage(), e);
        } finally {
            deleteTree(directory);
        }
    }

    /**
     * One ffmpeg run for all frames. The fps filter with {@code round=up} puts each decoded frame in the first
     * output slot at or after its time, and a slot keeps the last frame put in it: so slot k holds the frame on
     * screen at k × interval (verified: 1 fps input, 4 s interval gives the frames of seconds 0, 4 and 8).
     * The path is absolute so that a name starting with '-' or holding ':' is not read as an option or protocol.
     * The rate is the expression 1000/<interval in ms>, so any interval is written without decimals.
     */
    static List<String> command(Path clip, long intervalMillis, int frames, Path directory) {
        return List.of("ffmpeg", "-v", "error", "-nostdin", "-y",
                "-i", clip.toAbsolutePath().toString(),
                "-map", "0:v:0",
                "-vf", "fps=fps=1000/" + intervalMillis + ":round=up",
                "-frames:v", Integer.toString(frames),
                "-f", "image2",
                directory.resolve("frame-%05d.png").toString());
    }

    private static List<VideoFrame> decode(Path directory, double step, double duration) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(file -> file.getFileName().toString().endsWith(".png")).sorted().toList();
        }
        List<VideoFrame> frames = new ArrayList<>(files.size());
        for (int index = 0; index < files.size(); index++) {
            double offset = index * step;
            // ffmpeg may close the last slot at the very end of the clip; only times inside it are sampled.
            if (duration > 0 && offset >= duration) {
                break;
            }
            BufferedImage image = ImageIO.read(files.get(index).toFile());
            if (image == null) {
                throw new IOException("ffmpeg wrote a frame ImageIO cannot read: " + files.get(index));
            }
            frames.add(new VideoFrame(offset, image));
        }
        return frames;
    }

    private static void checkArguments(Duration interval, int maxFrames) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("frame interval must be positive: " + interval);
        }
        if (maxFrames < 1) {
            throw new IllegalArgumentException("maxFrames must be at least 1: " + maxFrames);
        }
    }

    private static void deleteTree(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(FfmpegRunner::deleteQuietly);
        } catch (IOException e) {
            // The directory is already gone or unreadable; nothing more can be cleaned.
        }
    }
}
