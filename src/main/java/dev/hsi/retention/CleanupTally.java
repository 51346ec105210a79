package dev.hsi.retention;

import dev.hsi.bus.CleanupReport;
import dev.hsi.config.RetentionConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one cleanup has counted or removed so far. A real run adds only what committed; a dry run adds what a real
 * run would remove, so both build the same report from the same state. Used by one cleanup at a time, on its
 * event loop.
 */
final class CleanupTally {

    private final Map<RetainedTable, Long> rows = new EnumMap<>(RetainedTable.class);
    private final List<String> partitionsDropped = new ArrayList<>();
    private final Set<Path> thumbnails = new LinkedHashSet<>();
    private final Set<String> imageCandidates = new LinkedHashSet<>();
    private long links;
    private long alerts;
    private long processedUploads;
    private long partitionBytes;

    void add(RetainedTable table, Removed removed, MediaFiles files) {
        rows.merge(table, removed.rows(), Long::sum);
        links += removed.links();
        alerts += removed.alerts();
        addFiles(removed.files(), files);
    }

    void addFiles(List<DetectionFiles> detections, MediaFiles files) {
        for (DetectionFiles detection : detections) {
            thumbnails.addAll(files.thumbnailsOf(detection));
            imageCandidates.add(detection.filePath());
        }
    }

    void addRows(RetainedTable table, long count) {
        rows.merge(table, count, Long::sum);
    }

    void addDroppedPartition(Partition partition) {
        partitionsDropped.add(partition.name());
        partitionBytes += partition.totalBytes();
    }

    void addLinks(long count) {
        links += count;
    }

    void addAlerts(long count) {
        alerts += count;
    }

    void addProcessedUploads(long count, List<String> filePaths) {
        processedUploads += count;
        imageCandidates.addAll(filePaths);
    }

    Set<Path> thumbnails() {
        return thumbnails;
    }

    /** The original images of everything removed; some may still be named by newer rows. */
    Set<String> imageCandidates() {
        return imageCandidates;
    }

    CleanupReport report(MediaFiles.Outcome files, RetentionConfig config, boolean dryRun, Instant at) {
        return new CleanupReport(
                rows(RetainedTable.EVENTS), rows(RetainedTable.DETECTIONS), rows(RetainedTable.GPU_STATS),
                rows(RetainedTable.LOGS), rows(RetainedTable.AUDIT_LOGS), alerts, links, processedUploads,
                files.thumbnails(), files.images(), files.bytes() + partitionBytes,
                config.retentionDays(), config.logRetentionDays(), dryRun, at, partitionsDropped);
    }

    private long rows(RetainedTable table) {
        return rows.getOrDefault(table, 0L);
    }
}
