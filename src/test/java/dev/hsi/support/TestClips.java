package dev.hsi.support;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Clips made by the tests themselves with ffmpeg, so no video file is kept in the repository. */
public final class TestClips {

    public static final int WIDTH = 640;
    public static final int HEIGHT = 424;

    private TestClips() {
    }

    /**
     * A 12 s H.264 clip at 1 fps, 640x424 (the photo's own size): black, except the frames of seconds 8 and 9, which show the person
     * photo. The dimensions are even, as yuv420p needs.
     */
    public static Path personClip(Path directory) throws IOException, InterruptedException, URISyntaxException {
        Path person = Path.of(TestClips.class.getResource("/images/person.jpg").toURI());
        Path clip = directory.resolve("clip.mp4");
        String black = "color=c=black:s=" + WIDTH + "x" + HEIGHT + ":r=1:d=";
        ffmpeg(List.of("ffmpeg", "-v", "error", "-nostdin", "-y",
                "-f", "lavfi", "-i", black + 8,
                "-loop", "1", "-framerate", "1", "-t", "2", "-i", person.toString(),
                "-f", "lavfi", "-i", black + 2,
                "-filter_complex", "[1:v]scale=" + WIDTH + ":" + HEIGHT + ",setsar=1[p];"
                        + "[0:v][p][2:v]concat=n=3:v=1:a=0,format=yuv420p[v]",
                "-map", "[v]", "-c:v", "libx264", "-r", "1", clip.toString()));
        return clip;
    }

    private static void ffmpeg(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("making the test clip failed: " + command + "\n" + output);
        }
    }

    /** Mean brightness, 0 to 255, of all pixels. */
    public static double brightness(BufferedImage image) {
        long sum = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                sum += ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
            }
        }
        return sum / (3.0 * image.getWidth() * image.getHeight());
    }

    public static Path write(Path directory, String name, byte[] content) throws IOException {
        return Files.write(directory.resolve(name), content);
    }
}
