package dev.hsi.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Fact: an alert was committed as created, updated (its delivery recorded), acknowledged or dismissed.
 * {@link #toMessage()} is the original's {@code /ws/events} message, {@code {"type":"alert_created","data":{...}}}.
 */
public record AlertChanged(
        Change change,
        UUID id,
        long eventId,
        Instant eventStartedAt,
        String cameraId,
        UUID ruleId,
        String severity,
        String status,
        String dedupKey,
        List<String> channels,
        Instant createdAt,
        Instant updatedAt,
        Instant deliveredAt) {

    /** The change, named as the original's WebSocket alert message types. */
    public enum Change {
        CREATED, UPDATED, ACKNOWLEDGED, DISMISSED;

        public String messageType() {
            return "alert_" + name().toLowerCase();
        }
    }

    public AlertChanged {
        channels = List.copyOf(channels);
    }

    public JsonObject toMessage() {
        return new JsonObject()
                .put("type", change.messageType())
                .put("data", new JsonObject()
                        .put("id", id.toString())
                        .put("event_id", eventId)
                        .put("event_started_at", eventStartedAt.toString())
                        .put("camera_id", cameraId)
                        .put("rule_id", ruleId == null ? null : ruleId.toString())
                        .put("severity", severity)
                        .put("status", status)
                        .put("dedup_key", dedupKey)
                        .put("channels", new JsonArray(channels))
                        .put("created_at", createdAt.toString())
                        .put("updated_at", updatedAt.toString())
                        .put("delivered_at", deliveredAt == null ? null : deliveredAt.toString()));
    }
}
