package dev.hsi.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Judges an event against a rule: every condition the rule sets must hold (AND); a rule without conditions matches
 * every event. {@code risk_threshold}, {@code camera_ids} and {@code schedule} look at the event; the detection
 * conditions ({@code object_types}, {@code min_confidence}, {@code zone_ids}) must all hold for one and the same
 * detection, so "a person in the back-door zone" is not met by a person elsewhere and a car at the back door.
 * The schedule is judged at the given time: the event's start, or a test's {@code test_time}.
 */
public final class RuleMatcher {

    private RuleMatcher() {
    }

    public static RuleMatch match(RuleFields rule, EventFacts event, Instant at) {
        List<String> matched = new ArrayList<>();
        if (rule.riskThreshold() != null) {
            if (event.riskScore() == null || event.riskScore() < rule.riskThreshold()) {
                return RuleMatch.none();
            }
            matched.add("risk_score >= " + rule.riskThreshold());
        }
        if (set(rule.cameraIds())) {
            if (!rule.cameraIds().contains(event.cameraId())) {
                return RuleMatch.none();
            }
            matched.add("camera_id in " + rule.cameraIds());
        }
        String objectType = "unknown";
        boolean detectionConditions = set(rule.objectTypes()) || rule.minConfidence() != null || set(rule.zoneIds());
        if (detectionConditions) {
            EventFacts.Detection hit = firstMatchingDetection(rule, event);
            if (hit == null) {
                return RuleMatch.none();
            }
            objectType = hit.objectType();
            if (set(rule.objectTypes())) {
                matched.add("object_type in " + rule.objectTypes());
            }
            if (rule.minConfidence() != null) {
                matched.add("confidence >= " + rule.minConfidence());
            }
            if (set(rule.zoneIds())) {
                matched.add("zone_id in " + rule.zoneIds());
            }
        } else if (!event.detections().isEmpty()) {
            objectType = event.detections().get(0).objectType();
        }
        if (rule.schedule() != null) {
            if (!rule.schedule().contains(at)) {
                return RuleMatch.none();
            }
            matched.add("within_schedule");
        }
        if (matched.isEmpty()) {
            matched.add("no_conditions (always matches)");
        }
        return new RuleMatch(true, matched, objectType);
    }

    /** The dedup key: the rule's template with {camera_id}, {rule_id} and {object_type} filled in. */
    public static String dedupKey(RuleFields rule, UUID ruleId, EventFacts event, RuleMatch match) {
        return rule.dedupKeyTemplate()
                .replace("{camera_id}", event.cameraId())
                .replace("{rule_id}", ruleId.toString())
                .replace("{object_type}", match.objectType());
    }

    private static EventFacts.Detection firstMatchingDetection(RuleFields rule, EventFacts event) {
        for (EventFacts.Detection detection : event.detections()) {
            boolean type = !set(rule.objectTypes())
                    || rule.objectTypes().contains(detection.objectType().toLowerCase(Locale.ROOT));
            boolean confident = rule.minConfidence() == null || detection.confidence() >= rule.minConfidence();
            boolean zoned = !set(rule.zoneIds()) || detection.zoneIds().stream().anyMatch(rule.zoneIds()::contains);
            if (type && confident && zoned) {
                return detection;
            }
        }
        return null;
    }

    private static boolean set(List<String> values) {
        return values != null && !values.isEmpty();
    }
}
