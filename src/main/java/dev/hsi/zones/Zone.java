package dev.hsi.zones;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A stored zone: a region of one camera's view. */
public record Zone(String id, String cameraId, ZoneDraft fields, Instant createdAt, Instant updatedAt) {

    /** The original's zone fields. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("id", id)
                .put("camera_id", cameraId)
                .put("name", fields.name())
                .put("zone_type", fields.zoneType())
                .put("coordinates", fields.coordinates().toJson())
                .put("shape", fields.shape())
                .put("color", fields.color())
                .put("enabled", fields.enabled())
                .put("priority", fields.priority())
                .put("created_at", createdAt.toString())
                .put("updated_at", updatedAt.toString());
    }
}
