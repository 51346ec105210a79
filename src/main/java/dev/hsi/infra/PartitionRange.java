package dev.hsi.infra;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * One partition of a time-partitioned table: its name and its UTC range {@code [from, to)}. Names are those the SQL
 * helpers of the migrations give ({@code detections_y2026m11}, {@code gpu_stats_w20261123} after the Monday), so the
 * server recognises the partitions the migrations created.
 */
public record PartitionRange(String table, String name, Instant from, Instant to) {

    public static PartitionRange month(String table, YearMonth month) {
        Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return new PartitionRange(table, String.format("%s_y%04dm%02d", table, month.getYear(), month.getMonthValue()),
                from, to);
    }

    public static PartitionRange week(String table, LocalDate monday) {
        Instant from = monday.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = monday.plusWeeks(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return new PartitionRange(table, String.format("%s_w%04d%02d%02d", table, monday.getYear(),
                monday.getMonthValue(), monday.getDayOfMonth()), from, to);
    }

    @Override
    public String toString() {
        return name + " [" + from + ", " + to + ")";
    }
}
