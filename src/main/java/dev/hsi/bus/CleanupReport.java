package dev.hsi.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * What one cleanup deleted, or with {@code dryRun} would delete. {@link #toJson()} has the original system's fields
 * ({@code events_deleted ... timestamp}) and HSI's additions: the audit logs, alerts and event-detection links that
 * went with them, the processed-upload records, the log retention and the partitions dropped whole.
 * {@code spaceReclaimed} is bytes: the files deleted plus the on-disk size of the partitions dropped (rows deleted
 * one by one free their space for reuse, not for the file system, so they are not counted).
 */
public record CleanupReport(
        long eventsDeleted,
        long detectionsDeleted,
        long gpuStatsDeleted,
        long logsDeleted,
        long auditLogsDeleted,
        long alertsDeleted,
        long eventDetectionsDeleted,
        long processedUploadsDeleted,
        long thumbnailsDeleted,
        long imagesDeleted,
        long spaceReclaimed,
        int retentionDays,
        int logRetentionDays,
        boolean dryRun,
        Instant timestamp,
        List<String> partitionsDropped) {

    public CleanupReport {
        partitionsDropped = List.copyOf(partitionsDropped);
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("events_deleted", eventsDeleted)
                .put("detections_deleted", detectionsDeleted)
                .put("gpu_stats_deleted", gpuStatsDeleted)
                .put("logs_deleted", logsDeleted)
                .put("thumbnails_deleted", thumbnailsDeleted)
                .put("images_deleted", imagesDeleted)
                .put("space_reclaimed", spaceReclaimed)
                .put("retention_days", retentionDays)
                .put("dry_run", dryRun)
                .put("timestamp", timestamp.toString())
                .put("audit_logs_deleted", auditLogsDeleted)
                .put("alerts_deleted", alertsDeleted)
                .put("event_detections_deleted", eventDetectionsDeleted)
                .put("processed_uploads_deleted", processedUploadsDeleted)
                .put("log_retention_days", logRetentionDays)
                .put("partitions_dropped", new JsonArray(partitionsDropped));
    }
}
