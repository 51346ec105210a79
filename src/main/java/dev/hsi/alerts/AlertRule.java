package dev.hsi.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A stored alert rule. */
public record AlertRule(UUID id, RuleFields fields, Instant createdAt, Instant updatedAt) {

    /** The original's rule fields. */
    public JsonObject toJson() {
        RuleFields f = fields;
        return new JsonObject()
                .put("id", id.toString())
                .put("name", f.name())
                .put("description", f.description())
                .put("enabled", f.enabled())
                .put("severity", f.severity().json())
                .put("risk_threshold", f.riskThreshold())
                .put("object_types", array(f.objectTypes()))
                .put("camera_ids", array(f.cameraIds()))
                .put("zone_ids", array(f.zoneIds()))
                .put("min_confidence", f.minConfidence())
                .put("schedule", f.schedule() == null ? null : f.schedule().toJson())
                .put("conditions", f.conditions())
                .put("dedup_key_template", f.dedupKeyTemplate())
                .put("cooldown_seconds", f.cooldownSeconds())
                .put("channels", new JsonArray(f.channels()))
                .put("created_at", createdAt.toString())
                .put("updated_at", updatedAt.toString());
    }

    static JsonArray array(List<String> values) {
        return values == null ? null : new JsonArray(values);
    }
}
