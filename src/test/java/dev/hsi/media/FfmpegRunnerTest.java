package dev.hsi.media;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FfmpegRunnerTest {

    @Test
    @DisplayName("A tool that is not installed is reported with the advice to install ffmpeg")
    void missingTool() {
        assertThatThrownBy(() -> FfmpegRunner.run(List.of("ffprobe-not-installed-here", "-version"),
                Duration.ofSeconds(5), Path.of("clip.mp4")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ffprobe-not-installed-here cannot be run")
                .hasMessageContaining("install ffmpeg");
    }

    @Test
    @DisplayName("A process past its time limit is killed and reported as timed out")
    void timeout() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> FfmpegRunner.run(List.of("sleep", "30"), Duration.ofMillis(300), Path.of("slow.mp4")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("sleep timed out after 0.3 s on slow.mp4");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    @DisplayName("The installed ffprobe runs, and its output and exit code come back")
    void runsTheTool() {
        FfmpegRunner.Result result = FfmpegRunner.run(List.of("ffprobe", "-version"), Duration.ofSeconds(30),
                Path.of("none"));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith("ffprobe version");
    }

    @Test
    @DisplayName("The first non-blank stderr line is the reason given, without the run-specific memory address")
    void firstErrorLine() {
        assertThat(new FfmpegRunner.Result(1, "", "\n  clip.mp4: Invalid data\nmore\n").firstErrorLine())
                .isEqualTo("clip.mp4: Invalid data");
        assertThat(new FfmpegRunner.Result(1, "", "[mov,mp4 @ 0x55d0c1a2] moov atom not found\n").firstErrorLine())
                .isEqualTo("[mov,mp4] moov atom not found");
        assertThat(new FfmpegRunner.Result(1, "", "").firstErrorLine()).isEqualTo("exit code 1 with no message");
    }
}
