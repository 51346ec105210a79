package dev.hsi.alerts;

import dev.hsi.bus.AlertChanged;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stored alert. Its {@code metadata} holds the rule's name and matched conditions and, once notifications were
 * tried, {@code delivery}: per channel, {@code {status: delivered|failed, attempts, at, error}}.
 */
public record Alert(
        UUID id,
        long eventId,
        Instant eventStartedAt,
        String cameraId,
        UUID ruleId,
        String severity,
        String status,
        Instant createdAt,
        Instant updatedAt,
        Instant deliveredAt,
        List<String> channels,
        String dedupKey,
        JsonObject metadata,
        int versionId) {

    public Alert {
        channels = List.copyOf(channels);
        metadata = metadata == null ? new JsonObject() : metadata;
    }

    /** The channels this alert still has to reach: those named by its rule that have no successful delivery yet. */
    public List<String> undeliveredChannels() {
        JsonObject delivery = metadata.getJsonObject("delivery", new JsonObject());
        return channels.stream().filter(channel -> {
            JsonObject outcome = delivery.getJsonObject(channel);
            return outcome == null || !"delivered".equals(outcome.getString("status"));
        }).toList();
    }

    /** When the last channel took this alert (from its recorded deliveries); null if none did. */
    public Instant lastDeliveredAt() {
        JsonObject delivery = metadata.getJsonObject("delivery", new JsonObject());
        Instant last = null;
        for (String channel : delivery.fieldNames()) {
            JsonObject outcome = delivery.getJsonObject(channel);
            if ("delivered".equals(outcome.getString("status"))) {
                Instant at = Instant.parse(outcome.getString("at"));
                last = last == null || at.isAfter(last) ? at : last;
            }
        }
        return last;
    }

    /** The original's alert fields, with the event's full key and camera. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("id", id.toString())
                .put("event_id", eventId)
                .put("event_started_at", eventStartedAt.toString())
                .put("camera_id", cameraId)
                .put("rule_id", ruleId == null ? null : ruleId.toString())
                .put("severity", severity)
                .put("status", status)
                .put("created_at", createdAt.toString())
                .put("updated_at", updatedAt.toString())
                .put("delivered_at", deliveredAt == null ? null : deliveredAt.toString())
                .put("channels", new JsonArray(channels))
                .put("dedup_key", dedupKey)
                .put("metadata", metadata)
                .put("version_id", versionId);
    }

    public AlertChanged changed(AlertChanged.Change change) {
        return new AlertChanged(change, id, eventId, eventStartedAt, cameraId, ruleId, severity, status, dedupKey,
                channels, createdAt, updatedAt, deliveredAt);
    }
}
