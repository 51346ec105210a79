package dev.hsi.analyze;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deterministic judgement from what was seen, how sure the detector was, where and when: the same batch with the
 * same baselines always gets the same score. People weigh most, then vehicles, then animals; several people,
 * night-time, sensitive zones (a person at an entry point or in a restricted zone, more so at night) and activity
 * far above the camera's usual for the hour raise it. It is the analyser when no LLM is configured, and the
 * fallback when the LLM fails.
 */
final class RuleBasedAnalyzer {

    private static final Map<String, Integer> CLASS_WEIGHT = Map.of(
            "person", 40,
            "car", 15, "truck", 15, "bus", 15, "motorcycle", 15,
            "bicycle", 10,
            "dog", 5, "cat", 5, "bird", 3);
    private static final int OTHER_WEIGHT = 5;
    private static final int EXTRA_PERSON_POINTS = 8;
    private static final int EXTRA_PERSON_CAP = 24;
    private static final int PERSON_WITH_VEHICLE_POINTS = 5;
    private static final int NIGHT_PERSON_POINTS = 25;
    private static final int NIGHT_OTHER_POINTS = 10;
    private static final LocalTime NIGHT_STARTS = LocalTime.of(22, 0);
    private static final LocalTime NIGHT_ENDS = LocalTime.of(6, 0);
    /** Points for a person in a zone of each type; other objects get a third. */
    private static final Map<String, Integer> ZONE_POINTS = Map.of(
            "restricted", 20, "entry_point", 15, "exit_point", 10, "perimeter", 10,
            "driveway", 5, "yard", 5, "monitored", 5, "walkway", 3);
    private static final List<String> SENSITIVE_AT_NIGHT = List.of("entry_point", "restricted");
    private static final int NIGHT_SENSITIVE_ZONE_POINTS = 10;
    /** Points at the highest anomaly (1.0); below the threshold (0.5) activity adds nothing. */
    private static final int ANOMALY_POINTS = 20;
    private static final double ANOMALY_THRESHOLD = 0.5;

    RiskAssessment analyze(String cameraName, List<DetectionFact> detections, LocalTime localStart, Anomaly anomaly) {
        // heaviest class first, so that summaries read "2 people and a car"
        Map<String, Integer> counts = new TreeMap<>(Comparator.comparingInt(RuleBasedAnalyzer::weight).reversed()
                .thenComparing(Comparator.naturalOrder()));
        detections.forEach(d -> counts.merge(d.objectType(), 1, Integer::sum));
        DetectionFact strongest = detections.stream()
                .max(Comparator.comparingInt((DetectionFact d) -> weight(d.objectType()))
                        .thenComparingDouble(DetectionFact::confidence))
                .orElseThrow();
        List<String> reasons = new ArrayList<>();

        double score = weight(strongest.objectType()) * (0.6 + 0.4 * strongest.confidence());
        reasons.add(String.format("%s seen with %.0f%% confidence", strongest.objectType(), 100 * strongest.confidence()));
        int persons = counts.getOrDefault("person", 0);
        if (persons > 1) {
            int extra = Math.min(EXTRA_PERSON_CAP, (persons - 1) * EXTRA_PERSON_POINTS);
            score += extra;
            reasons.add(persons + " people in view");
        }
        if (persons > 0 && counts.keySet().stream().anyMatch(RuleBasedAnalyzer::isVehicle)) {
            score += PERSON_WITH_VEHICLE_POINTS;
            reasons.add("a person together with a vehicle");
        }
        boolean night = isNight(localStart);
        if (night) {
            score += persons > 0 ? NIGHT_PERSON_POINTS : NIGHT_OTHER_POINTS;
            reasons.add("activity at night (" + localStart.withNano(0).withSecond(0) + ")");
        }
        score += zonePoints(detections, night, reasons);
        score += anomalyPoints(anomaly, reasons);
        int riskScore = (int) Math.max(0, Math.min(100, Math.round(score)));
        String summary = describe(counts) + " detected at " + cameraName + (night ? " at night" : "");
        String reasoning = "Rule-based assessment: " + String.join("; ", reasons) + ".";
        return new RiskAssessment(riskScore, RiskAssessment.levelOf(riskScore), summary, reasoning);
    }

    /** The most telling zone any detection stood in: full points for a person, a third for anything else. */
    private static int zonePoints(List<DetectionFact> detections, boolean night, List<String> reasons) {
        int best = 0;
        DetectionFact who = null;
        ZoneRef where = null;
        for (DetectionFact detection : detections) {
            for (ZoneRef zone : detection.zones()) {
                int points = ZONE_POINTS.getOrDefault(zone.zoneType(), 0);
                if (!detection.objectType().equals("person")) {
                    points /= 3;
                }
                if (points > best) {
                    best = points;
                    who = detection;
                    where = zone;
                }
            }
        }
        if (who == null) {
            return 0;
        }
        reasons.add(String.format("%s in zone '%s' (%s)", who.objectType(), where.name(), where.zoneType()));
        if (night && who.objectType().equals("person") && SENSITIVE_AT_NIGHT.contains(where.zoneType())) {
            reasons.add("a person at an " + where.zoneType().replace('_', ' ') + " at night");
            best += NIGHT_SENSITIVE_ZONE_POINTS;
        }
        return best;
    }

    private static int anomalyPoints(Anomaly anomaly, List<String> reasons) {
        if (anomaly.activity().isEmpty() || anomaly.activity().get().score() < ANOMALY_THRESHOLD) {
            return 0;
        }
        Anomaly.Activity activity = anomaly.activity().get();
        reasons.add(String.format("%d detections this hour where about %.1f are usual (anomaly %.2f)",
                activity.countSoFar(), activity.mean(), activity.score()));
        return (int) Math.round(ANOMALY_POINTS * activity.score());
    }

    private static int weight(String objectType) {
        return CLASS_WEIGHT.getOrDefault(objectType, OTHER_WEIGHT);
    }

    private static boolean isVehicle(String objectType) {
        return List.of("car", "truck", "bus", "motorcycle").contains(objectType);
    }

    private static boolean isNight(LocalTime time) {
        return !time.isBefore(NIGHT_STARTS) || time.isBefore(NIGHT_ENDS);
    }

    /** "2 people and a car" */
    static String describe(Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((type, count) -> parts.add(count == 1 ? article(type) + " " + type : count + " " + plural(type)));
        String text = parts.size() == 1 ? parts.get(0)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String plural(String noun) {
        return switch (noun) {
            case "person" -> "people";
            case "bus" -> "buses";
            default -> noun + "s";
        };
    }

    private static String article(String noun) {
        return "aeiou".indexOf(noun.charAt(0)) >= 0 ? "an" : "a";
    }
}
