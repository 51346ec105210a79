package dev.hsi.media;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Runs one ffmpeg or ffprobe command to completion, within a time limit. */
final class FfmpegRunner {

    /** Far more than a short camera clip needs; a process still running by then is stuck on a bad file. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern ADDRESS = Pattern.compile(" @ 0x[0-9a-fA-F]+]");

    record Result(int exitCode, String stdout, String stderr) {

        /**
         * The first line the tool wrote on stderr (with {@code -v error}, its first error), or a fallback.
         * The memory address in a prefix like {@code [mov,mp4 @ 0x55d0c1]} is dropped: it differs on every run
         * and would make the same failure read differently each time.
         */
        String firstErrorLine() {
            return stderr.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst()
                    .map(line -> ADDRESS.matcher(line).replaceFirst("]"))
                    .orElse("exit code " + exitCode + " with no message");
        }
    }

    private FfmpegRunner() {
    }

    /**
     * Output goes to temporary files rather than pipes: a pipe left unread fills up and blocks the tool, and
     * reading pipes would need a thread each to keep the time limit.
     *
     * @throws IllegalStateException the program cannot be started (ffmpeg not installed)
     * @throws UncheckedIOException it ran past the time limit, or this thread was interrupted
     */
    static Result run(List<String> command, Duration timeout, Path subject) {
        String program = command.get(0);
        Path stdout = null;
        Path stderr = null;
        Process process = null;
        try {
            stdout = Files.createTempFile("hsi-" + program + "-", ".out");
            stderr = Files.createTempFile("hsi-" + program + "-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IllegalStateException(program + " cannot be run (" + e.getMessage()
                        + "): install ffmpeg, which provides ffmpeg and ffprobe (apt-get install ffmpeg)", e);
            }
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                String message = program + " timed out after " + timeout.toMillis() / 1000.0 + " s on " + subject;
                throw new UncheckedIOException(message, new IOException(message));
            }
            return new Result(process.exitValue(), read(stdout), read(stderr));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            String message = program + " interrupted on " + subject;
            throw new UncheckedIOException(message, new InterruptedIOException(message));
        } catch (IOException e) {
            throw new UncheckedIOException(program + " failed on " + subject + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    /** Decoded leniently: a file name in the output need not be valid UTF-8. */
    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Only a temporary file of ours is left behind; the result stands.
            }
        }
    }
}
