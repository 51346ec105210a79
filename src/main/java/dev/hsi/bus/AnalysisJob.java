package dev.hsi.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * Command on {@code analysis_queue}: judge one closed batch. JSON shape of the seed:
 * {@code batch_id, camera_id, detection_ids, timestamp} plus {@code is_fast_path}.
 *
 * @param closedAt when the batch closed (or the fast-path detection arrived)
 */
public record AnalysisJob(String batchId, String cameraId, List<Long> detectionIds, Instant closedAt, boolean fastPath) {

    public AnalysisJob {
        detectionIds = List.copyOf(detectionIds);
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("batch_id", batchId)
                .put("camera_id", cameraId)
                .put("detection_ids", new JsonArray(List.copyOf(detectionIds)))
                .put("timestamp", closedAt.toString())
                .put("is_fast_path", fastPath);
    }

    public static AnalysisJob fromJson(String text) {
        JsonObject json = Json.parse(text);
        return new AnalysisJob(
                Json.requireString(json, "batch_id"),
                Json.requireString(json, "camera_id"),
                Json.requireIdList(json, "detection_ids"),
                Json.requireInstant(json, "timestamp"),
                Json.optionalBoolean(json, "is_fast_path", false));
    }
}
