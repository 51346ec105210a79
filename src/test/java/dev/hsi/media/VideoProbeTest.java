package dev.hsi.media;

import dev.hsi.support.TestClips;

import dev.hsi.queue.PermanentFailure;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class VideoProbeTest {

    @TempDir
    static Path dir;

    private static Path clip;

    @BeforeAll
    static void makeClip() throws Exception {
        clip = TestClips.personClip(dir);
    }

    @Test
    @DisplayName("A 12 s H.264 clip is probed as 12 s long, h264, 320x212")
    void probesTheClip() {
        VideoInfo info = VideoProbe.probe(clip);

        assertThat(info.durationSeconds()).isCloseTo(12.0, within(0.2));
        assertThat(info.codec()).isEqualTo("h264");
        assertThat(info.width()).isEqualTo(TestClips.WIDTH);
        assertThat(info.height()).isEqualTo(TestClips.HEIGHT);
    }

    @Test
    @DisplayName("Random bytes named .mp4 are not a playable video, with ffprobe's error as the reason")
    void randomBytesAreRejected() throws Exception {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        Path file = TestClips.write(dir, "noise.mp4", noise);

        assertThatThrownBy(() -> VideoProbe.probe(file))
                .isInstanceOf(PermanentFailure.class)
                .hasMessageMatching("not a playable video: .*(moov atom not found|Invalid data found).*");
    }

    @Test
    @DisplayName("A clip cut short before its index is not a playable video")
    void truncatedClipIsRejected() throws Exception {
        byte[] whole = Files.readAllBytes(clip);
        Path file = TestClips.write(dir, "truncated.mp4", Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> VideoProbe.probe(file))
                .isInstanceOf(PermanentFailure.class)
                .hasMessage("not a playable video: [mov,mp4,m4a,3gp,3g2,mj2] moov atom not found");
    }

    @Test
    @DisplayName("A text file named .mp4 is not a playable video")
    void textFileIsRejected() throws Exception {
        Path file = TestClips.write(dir, "notes.mp4", "camera notes, not a video\n".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> VideoProbe.probe(file))
                .isInstanceOf(PermanentFailure.class)
                .hasMessageStartingWith("not a playable video: ");
    }

    @Test
    @DisplayName("A clip that no longer exists is a permanent failure")
    void missingClip() {
        assertThatThrownBy(() -> VideoProbe.probe(dir.resolve("gone.mp4")))
                .isInstanceOf(PermanentFailure.class)
                .hasMessageContaining("no longer exists");
    }

    @Test
    @DisplayName("A container with no video stream is not a playable video")
    void noVideoStream() {
        String json = "{\"programs\": [], \"streams\": [], \"format\": {\"duration\": \"3.5\"}}";

        assertThatThrownBy(() -> VideoProbe.parse(json, Path.of("audio.mp4")))
                .isInstanceOf(PermanentFailure.class)
                .hasMessageContaining("no video stream");
    }

    @Test
    @DisplayName("A duration the container does not record is taken from the stream, else 0")
    void durationFallbacks() {
        String streamOnly = "{\"streams\": [{\"codec_name\": \"hevc\", \"width\": 1920, \"height\": 1080,"
                + " \"duration\": \"9.5\"}], \"format\": {\"duration\": \"N/A\"}}";
        String none = "{\"streams\": [{\"codec_name\": \"mjpeg\", \"width\": 640, \"height\": 480}], \"format\": {}}";

        assertThat(VideoProbe.parse(streamOnly, Path.of("a.mkv"))).isEqualTo(new VideoInfo(9.5, "hevc", 1920, 1080));
        assertThat(VideoProbe.parse(none, Path.of("b.avi"))).isEqualTo(new VideoInfo(0, "mjpeg", 640, 480));
    }

    @Test
    @DisplayName("Clips are recognised by .mp4 .mkv .avi .mov, in any case; pictures are not")
    void extensions() {
        assertThat(VideoProbe.VIDEO_EXTENSIONS).containsExactlyInAnyOrder(".mp4", ".mkv", ".avi", ".mov");
        assertThat(VideoProbe.isVideoFile(Path.of("/ftp/cam1/MDalarm_20240101.MP4"))).isTrue();
        assertThat(VideoProbe.isVideoFile(Path.of("clip.mkv"))).isTrue();
        assertThat(VideoProbe.isVideoFile(Path.of("snap.jpg"))).isFalse();
        assertThat(VideoProbe.isVideoFile(Path.of("mp4"))).isFalse();
    }
}
