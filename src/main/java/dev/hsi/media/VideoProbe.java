package dev.hsi.media;

import dev.hsi.queue.PermanentFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a clip's duration, codec and size with the system's ffprobe. Blocking. */
public final class VideoProbe {

    /** The clip types cameras upload that are sampled for detection; matched case-insensitively. */
    public static final Set<String> VIDEO_EXTENSIONS = Set.of(".mp4", ".mkv", ".avi", ".mov");

    private static final Pattern CODEC = Pattern.compile("\"codec_name\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern WIDTH = Pattern.compile("\"width\"\\s*:\\s*(\\d{1,9})");
    private static final Pattern HEIGHT = Pattern.compile("\"height\"\\s*:\\s*(\\d{1,9})");
    private static final Pattern DURATION = Pattern.compile("\"duration\"\\s*:\\s*\"?([^\",\\s}]*)");
    private static final Pattern FORMAT_SECTION = Pattern.compile("\"format\"\\s*:");

    private VideoProbe() {
    }

    public static boolean isVideoFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && VIDEO_EXTENSIONS.contains(name.substring(dot));
    }

    /**
     * @throws PermanentFailure the clip is gone, or is not a video ffprobe can read (corrupt, truncated, no
     *     video stream): retrying cannot help
     * @throws IllegalStateException ffprobe is not installed
     */
    public static VideoInfo probe(Path clip) {
        return probe(clip, FfmpegRunner.TIMEOUT);
    }

    static VideoInfo probe(Path clip, Duration timeout) {
        requireFile(clip);
        // Absolute, so a name starting with '-' or holding a ':' is not taken for an option or a protocol.
        FfmpegRunner.Result result = FfmpegRunner.run(List.of("ffprobe", "-v", "error",
                "-select_streams", "v:0",
                "-show_entries", "stream=codec_name,width,height,duration:format=duration",
                "-of", "json", clip.toAbsolutePath().toString()), timeout, clip);
        if (result.exitCode() != 0) {
            throw new PermanentFailure("not a playable video: " + result.firstErrorLine());
        }
        return parse(result.stdout(), clip);
    }

    /**
     * Parses ffprobe's JSON for the one stream and the format it was asked about. Its shape is fixed by the
     * command, so matching the few keys is enough and needs no JSON library here.
     */
    static VideoInfo parse(String json, Path clip) {
        Matcher formatStart = FORMAT_SECTION.matcher(json);
        int split = formatStart.find() ? formatStart.start() : json.length();
        String stream = json.substring(0, split);
        String format = json.substring(split);

        Matcher codec = CODEC.matcher(stream);
        if (!codec.find()) {
            throw new PermanentFailure("not a playable video: no video stream in " + clip);
        }
        int width = integer(WIDTH, stream);
        int height = integer(HEIGHT, stream);
        if (width <= 0 || height <= 0) {
            throw new PermanentFailure("not a playable video: its video stream has no picture size: " + clip);
        }
        // The container's duration covers the whole clip; the stream's is the fallback when it has none.
        double duration = seconds(format);
        if (duration <= 0) {
            duration = seconds(stream);
        }
        return new VideoInfo(duration, codec.group(1), width, height);
    }

    static void requireFile(Path clip) {
        if (!Files.isRegularFile(clip)) {
            throw new PermanentFailure("video file no longer exists: " + clip);
        }
    }

    private static int integer(Pattern key, String text) {
        Matcher matcher = key.matcher(text);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    /** 0 when absent or "N/A", which ffprobe reports for a clip whose length is not recorded. */
    private static double seconds(String text) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.find()) {
            return 0;
        }
        try {
            double value = Double.parseDouble(matcher.group(1));
            return Double.isFinite(value) && value > 0 ? value : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
