package dev.hsi.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Command on {@code detection_queue}: detect the objects in one uploaded image. JSON shape of the seed:
 * {@code camera_id, file_path, timestamp, media_type, pipeline_start_time, file_hash}.
 *
 * @param uploadedAt when the upload finished (the pipeline's start)
 * @param queuedAt when the job was put on the queue
 */
public record DetectionJob(
        String cameraId, String filePath, Instant queuedAt, String mediaType, Instant uploadedAt, String fileHash) {

    /** The same job for the same content, found under another name (the upload was renamed). */
    public DetectionJob withFilePath(String path) {
        return new DetectionJob(cameraId, path, queuedAt, mediaType, uploadedAt, fileHash);
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("camera_id", cameraId)
                .put("file_path", filePath)
                .put("timestamp", queuedAt.toString())
                .put("media_type", mediaType)
                .put("pipeline_start_time", Json.epochSeconds(uploadedAt))
                .put("file_hash", fileHash);
    }

    public static DetectionJob fromJson(String text) {
        JsonObject json = Json.parse(text);
        Instant queuedAt = Json.requireInstant(json, "timestamp");
        Double start = Json.optionalNumber(json, "pipeline_start_time");
        return new DetectionJob(
                Json.requireString(json, "camera_id"),
                Json.requireString(json, "file_path"),
                queuedAt,
                Json.optionalString(json, "media_type", "image"),
                start == null ? queuedAt : Json.fromEpochSeconds(start),
                Json.optionalString(json, "file_hash", ""));
    }
}
