package dev.hsi.analyze;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The user message of the LLM prompt: the camera, the time window, each detection with its time, class, confidence
 * and zones, and how unusual the activity is for this camera and hour. The stored system prompt says what to do
 * with it.
 */
final class PromptBuilder {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ZoneId zone;

    PromptBuilder(ZoneId zone) {
        this.zone = zone;
    }

    String userMessage(String cameraName, List<DetectionFact> detections, Anomaly anomaly) {
        ZonedDateTime start = local(detections.get(0).detectedAt());
        ZonedDateTime end = local(detections.get(detections.size() - 1).detectedAt());
        StringBuilder text = new StringBuilder()
                .append("Camera: ").append(cameraName).append('\n')
                .append("Time window: ").append(DATE_TIME.format(start)).append(" to ").append(TIME.format(end))
                .append(" (").append(zone.getId()).append(", ")
                .append(start.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH)).append(")\n")
                .append("Detections (").append(detections.size()).append("):\n");
        int number = 1;
        for (DetectionFact detection : detections) {
            text.append(number++).append(". ").append(TIME.format(local(detection.detectedAt()))).append(' ')
                    .append(detection.objectType()).append(", confidence ")
                    .append(Math.round(100 * detection.confidence())).append("%, ")
                    .append(zones(detection.zones())).append('\n');
        }
        text.append("Activity: ").append(activity(anomaly, start)).append('\n');
        if (!anomaly.classShares().isEmpty()) {
            text.append("Usual classes at this hour: ").append(classes(anomaly.classShares())).append('\n');
        }
        return text.append("Judge the risk of this time window.").toString();
    }

    private static String zones(List<ZoneRef> zones) {
        if (zones.isEmpty()) {
            return "in no defined zone";
        }
        return "zones: " + zones.stream().map(z -> z.name() + " (" + z.zoneType() + ")")
                .collect(Collectors.joining(", "));
    }

    private static String activity(Anomaly anomaly, ZonedDateTime start) {
        if (anomaly.activity().isEmpty()) {
            return String.format(Locale.ROOT, "no baseline yet (%d of %d observed hours needed); judge without one",
                    anomaly.samples(), anomaly.minSamples());
        }
        Anomaly.Activity activity = anomaly.activity().get();
        String basis = switch (activity.basis()) {
            case "slot" -> "at this hour on " + start.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + "s";
            case "hour" -> "at this hour of day";
            default -> "in an hour of this camera";
        };
        return String.format(Locale.ROOT,
                "%d detections at this camera this hour so far; about %.1f ± %.1f are usual %s (%d hours observed):"
                        + " anomaly %.2f of 1 (%s)",
                activity.countSoFar(), activity.mean(), activity.deviation(), basis, activity.samples(),
                activity.score(), describe(activity.score()));
    }

    private static String describe(double score) {
        if (score < 0.25) {
            return "usual";
        } else if (score < 0.5) {
            return "somewhat above usual";
        } else if (score < 0.75) {
            return "unusual";
        }
        return "far above usual";
    }

    private static String classes(Map<String, Double> shares) {
        return shares.entrySet().stream()
                .map(e -> e.getValue() == 0 ? e.getKey() + " never seen at this hour"
                        : String.format(Locale.ROOT, "%s %.0f%% of detections", e.getKey(), 100 * e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private ZonedDateTime local(Instant instant) {
        return instant.atZone(zone);
    }
}
