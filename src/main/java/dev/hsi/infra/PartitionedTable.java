package dev.hsi.infra;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables range-partitioned by a {@code timestamptz} column (migrations V003, V004 and V008), with their
 * partition key and interval. Partition bounds are UTC: month starts, or Mondays for weekly tables.
 */
public enum PartitionedTable {

    DETECTIONS("detections", "detected_at", Interval.MONTH),
    EVENTS("events", "started_at", Interval.MONTH),
    LOGS("logs", "timestamp", Interval.MONTH),
    AUDIT_LOGS("audit_logs", "timestamp", Interval.MONTH),
    GPU_STATS("gpu_stats", "recorded_at", Interval.WEEK);

    /** How much time one partition holds. */
    public enum Interval {
        MONTH, WEEK
    }

    private final String tableName;
    private final String keyColumn;
    private final Interval interval;

    PartitionedTable(String tableName, String keyColumn, Interval interval) {
        this.tableName = tableName;
        this.keyColumn = keyColumn;
        this.interval = interval;
    }

    public String tableName() {
        return tableName;
    }

    public String keyColumn() {
        return keyColumn;
    }

    public Interval interval() {
        return interval;
    }

    /**
     * The partitions that must exist at {@code now}: from the one holding {@code now} up to the end of the
     * {@code monthsAhead}-th month after the current one. A weekly table gets every week that overlaps that span.
     */
    public List<PartitionRange> rangesAhead(Instant now, int monthsAhead) {
        YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        List<PartitionRange> ranges = new ArrayList<>();
        if (interval == Interval.MONTH) {
            for (int i = 0; i <= monthsAhead; i++) {
                ranges.add(PartitionRange.month(tableName, current.plusMonths(i)));
            }
        } else {
            LocalDate horizon = current.plusMonths(monthsAhead + 1L).atDay(1);
            LocalDate monday = now.atOffset(ZoneOffset.UTC).toLocalDate()
                    .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            for (; monday.isBefore(horizon); monday = monday.plusWeeks(1)) {
                ranges.add(PartitionRange.week(tableName, monday));
            }
        }
        return ranges;
    }
}
