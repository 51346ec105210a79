package dev.hsi.bench;

import java.util.Locale;

/** PartitionBench's report: markdown lines kept for the end, each also printed at once with the elapsed time. */
final class BenchReport {

    private final StringBuilder text = new StringBuilder();
    private final long began = System.nanoTime();

    void line(String line) {
        text.append(line).append('\n');
        progress(line.lines().findFirst().orElse(""));
    }

    void progress(String line) {
        System.out.printf(Locale.ROOT, "[%6.0f s] %s%n", seconds(began), line);
    }

    String text() {
        return text.toString();
    }

    static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
