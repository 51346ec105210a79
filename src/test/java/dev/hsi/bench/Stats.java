package dev.hsi.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Medians and the table rows PartitionBench reports. */
final class Stats {

    private Stats() {
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double min(List<Double> values) {
        return Collections.min(values);
    }

    /** {@code | label | runs | partitioned median / min | copy median / min | copy ÷ partitioned (medians) |}. */
    static String row(String label, List<Double> partitioned, List<Double> copy) {
        return String.format(Locale.ROOT, "| %s | %d + %d | %.2f / %.2f | %.2f / %.2f | **%.2f×** |", label,
                partitioned.size(), copy.size(), median(partitioned), min(partitioned), median(copy), min(copy),
                median(copy) / median(partitioned));
    }
}
