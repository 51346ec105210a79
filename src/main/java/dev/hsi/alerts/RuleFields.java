package dev.hsi.alerts;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An alert rule's editable fields, validated ({@link RuleInput}). A condition that is null (or an empty list) is not
 * checked. {@code conditions} is the original's legacy object, kept as given and not evaluated.
 */
public record RuleFields(
        String name,
        String description,
        boolean enabled,
        Severity severity,
        Integer riskThreshold,
        List<String> objectTypes,
        List<String> cameraIds,
        List<String> zoneIds,
        Double minConfidence,
        Schedule schedule,
        JsonObject conditions,
        String dedupKeyTemplate,
        int cooldownSeconds,
        List<String> channels) {

    public static final String DEFAULT_DEDUP_KEY_TEMPLATE = "{camera_id}:{rule_id}";
    public static final int DEFAULT_COOLDOWN_SECONDS = 300;

    public RuleFields {
        objectTypes = objectTypes == null ? null : List.copyOf(objectTypes);
        cameraIds = cameraIds == null ? null : List.copyOf(cameraIds);
        zoneIds = zoneIds == null ? null : List.copyOf(zoneIds);
        channels = List.copyOf(channels);
    }
}
