package dev.hsi.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Fact: an event was committed. {@link #toMessage()} is the original's WebSocket / pub-sub message, with
 * {@code analysis_source}, {@code anomaly_score} and {@code object_types} added.
 *
 * <p>It is published again, unchanged, when a redelivered analysis job finds its batch's event already written:
 * consumers that act on events (alerts) key what they do by {@link #id()}.
 *
 * @param analysisSource  {@code llm} or {@code rules}: which analyser's judgement the event holds
 * @param anomalyScore    0 normal .. 1 rare, empty while the camera's baselines have too little history
 * @param objectTypes     the classes of the event's detections, sorted
 * @param zoneIds         the zones ({@code zones.id}) any of its detections stood in, sorted
 * @param maxConfidence   the highest detection confidence of the event
 */
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
        Instant batchClosedAt,
        String analysisSource,
        Optional<Double> anomalyScore,
        List<String> objectTypes,
        List<String> zoneIds,
        double maxConfidence) {

    public static final String SOURCE_LLM = "llm";
    public static final String SOURCE_RULES = "rules";

    public SecurityEvent {
        objectTypes = List.copyOf(objectTypes);
        zoneIds = List.copyOf(zoneIds);
    }

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
                        .put("is_fast_path", fastPath)
                        .put("analysis_source", analysisSource)
                        .put("anomaly_score", anomalyScore.orElse(null))
                        .put("object_types", String.join(",", objectTypes)));
    }
}
