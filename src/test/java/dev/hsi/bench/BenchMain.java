package dev.hsi.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What every whole-server bench's {@code main} does around its own run: options parsed (a bad one prints the usage
 * and exits 2), the server's logs quieted, a scratch directory for its DATA_DIR, the report printed and written to
 * {@code --out}, and the exit status (1 when the run failed).
 */
final class BenchMain {

    /** One bench run in a scratch directory; returns its report (Markdown). */
    interface Run {
        String report(Path workDir) throws Exception;
    }

    private BenchMain() {
    }

    static <T> T parseOrExit(String name, String usage, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.println("usage: " + name + " " + usage);
            System.exit(2);
            throw e;
        }
    }

    /** Runs the bench and exits; {@code keep} leaves the scratch directory (the server's DATA_DIR) in place. */
    static void run(String name, boolean logInfo, String out, boolean keep, Run bench) {
        if (!logInfo && System.getProperty("LOG_LEVEL") == null) {
            System.setProperty("LOG_LEVEL", "WARN"); // read by logback.xml for the dev.hsi loggers
        }
        int status = 0;
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("hsi-" + name);
            String report = bench.report(workDir);
            System.out.println();
            System.out.println(report);
            if (out != null) {
                Path file = Path.of(out).toAbsolutePath();
                Files.createDirectories(file.getParent());
                Files.writeString(file, report, StandardCharsets.UTF_8);
                System.out.println("(report also written to " + file + ")");
            }
        } catch (Throwable e) {
            System.err.println(name + " failed: " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            if (workDir != null && keep) {
                System.out.println("DATA_DIR kept: " + workDir);
            } else if (workDir != null) {
                deleteQuietly(workDir);
            }
        }
        System.out.flush();
        System.exit(status);
    }

    /** Best effort: a file the server still holds open is left behind. */
    static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }
}
