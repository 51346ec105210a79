package dev.hsi.media;

import dev.hsi.support.TestClips;

import dev.hsi.queue.PermanentFailure;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VideoFramesTest {

    /** Well above the black frames' brightness (about 0) and well below the photo's. */
    private static final double DARK = 10;

    @TempDir
    static Path dir;

    private static Path clip;

    @BeforeAll
    static void makeClip() throws Exception {
        clip = TestClips.personClip(dir);
    }

    @Test
    @DisplayName("Every 4 s of a 12 s clip gives frames at 0, 4 and 8 s; only the one at 8 s shows the person")
    void everyFourSeconds() {
        List<VideoFrame> frames = VideoFrames.sample(clip, Duration.ofSeconds(4), 20);

        assertThat(frames).extracting(VideoFrame::offsetSeconds).containsExactly(0.0, 4.0, 8.0);
        assertThat(TestClips.brightness(frames.get(0).image())).isLessThan(DARK);
        assertThat(TestClips.brightness(frames.get(1).image())).isLessThan(DARK);
        assertThat(TestClips.brightness(frames.get(2).image())).isGreaterThan(50);
        assertThat(frames.get(2).image().getWidth()).isEqualTo(TestClips.WIDTH);
        assertThat(frames.get(2).image().getHeight()).isEqualTo(TestClips.HEIGHT);
    }

    @Test
    @DisplayName("Every second gives 12 frames, the person exactly at 8 and 9 s: each offset is the frame then on screen")
    void everySecond() {
        List<VideoFrame> frames = VideoFrames.sample(clip, Duration.ofSeconds(1), 20);

        assertThat(frames).extracting(VideoFrame::offsetSeconds)
                .containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0);
        assertThat(frames.stream().filter(frame -> TestClips.brightness(frame.image()) > DARK)
                .map(VideoFrame::offsetSeconds)).containsExactly(8.0, 9.0);
    }

    @Test
    @DisplayName("At most maxFrames frames are taken: 2 gives the frames at 0 and 4 s")
    void maxFrames() {
        List<VideoFrame> frames = VideoFrames.sample(clip, Duration.ofSeconds(4), 2);

        assertThat(frames).extracting(VideoFrame::offsetSeconds).containsExactly(0.0, 4.0);
    }

    @Test
    @DisplayName("Sampling with an already probed clip gives the same frames")
    void withProbedInfo() {
        VideoInfo info = VideoProbe.probe(clip);

        assertThat(VideoFrames.sample(clip, info, Duration.ofMillis(4000), 20))
                .extracting(VideoFrame::offsetSeconds).containsExactly(0.0, 4.0, 8.0);
    }

    @Test
    @DisplayName("A corrupt clip is rejected as not a playable video")
    void corruptClip() throws IOException {
        byte[] noise = new byte[8192];
        new Random(11).nextBytes(noise);
        Path file = TestClips.write(dir, "corrupt.mov", noise);

        assertThatThrownBy(() -> VideoFrames.sample(file, Duration.ofSeconds(4), 20))
                .isInstanceOf(PermanentFailure.class)
                .hasMessageStartingWith("not a playable video: ");
        assertThatThrownBy(() -> VideoFrames.sample(file, new VideoInfo(10, "h264", 320, 212),
                Duration.ofSeconds(4), 20))
                .isInstanceOf(PermanentFailure.class)
                .hasMessageStartingWith("not a playable video: ");
    }

    @Test
    @DisplayName("No temporary frame files are left behind")
    void cleansUp() throws IOException {
        Set<Path> before = frameDirectories();

        VideoFrames.sample(clip, Duration.ofSeconds(4), 20);

        assertThat(frameDirectories()).isSubsetOf(before);
    }

    @Test
    @DisplayName("A non-positive interval or maxFrames is a programming error")
    void badArguments() {
        assertThatThrownBy(() -> VideoFrames.sample(clip, Duration.ZERO, 20))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VideoFrames.sample(clip, Duration.ofSeconds(4), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Set<Path> frameDirectories() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(file -> file.getFileName().toString().startsWith("hsi-video-frames-"))
                    .collect(Collectors.toSet());
        }
    }
}
