package dev.hsi.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Fact: an event was committed. {@link #toMessage()} is the original's WebSocket / pub-sub message. */
public record SecurityEvent(
        long id,
        String batchId,
        String cameraId,
        int riskScore,
        String riskLevel,
        String summary,
        String reasoning,
        Instant startedAt,
        Instant endedAt,
        boolean fastPath,
        Instant batchClosedAt) {

    public JsonObject toMessage() {
        return new JsonObject()
                .put("type", "event")
                .put("data", new JsonObject()
                        .put("id", id)
                        .put("event_id", id)
                        .put("batch_id", batchId)
                        .put("camera_id", cameraId)
                        .put("risk_score", riskScore)
                        .put("risk_level", riskLevel)
                        .put("summary", summary)
                        .put("reasoning", reasoning)
                        .put("started_at", startedAt.toString())
                        .put("ended_at", endedAt.toString())
                        .put("is_fast_path", fastPath));
    }
}
