package dev.hsi.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** What the rules look at in an event: its score and camera, and each of its detections with the zones it stood in. */
public record EventFacts(
        long id,
        Instant startedAt,
        Instant endedAt,
        String cameraId,
        String cameraName,
        Integer riskScore,
        String riskLevel,
        String summary,
        boolean alertsEvaluated,
        List<Detection> detections) {

    /** One detection of the event. */
    public record Detection(String objectType, double confidence, List<String> zoneIds) {
        public Detection {
            zoneIds = List.copyOf(zoneIds);
        }
    }

    public EventFacts {
        detections = List.copyOf(detections);
    }

    /** The distinct object types, in the order first seen. */
    public List<String> objectTypes() {
        return detections.stream().map(Detection::objectType).distinct().toList();
    }

    /** The event as notifications carry it. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("id", id)
                .put("camera_id", cameraId)
                .put("camera_name", cameraName)
                .put("started_at", startedAt.toString())
                .put("ended_at", endedAt == null ? null : endedAt.toString())
                .put("risk_score", riskScore)
                .put("risk_level", riskLevel)
                .put("summary", summary)
                .put("object_types", new JsonArray(objectTypes()))
                .put("zone_ids", new JsonArray(detections.stream().flatMap(d -> d.zoneIds().stream()).distinct()
                        .toList()));
    }
}
