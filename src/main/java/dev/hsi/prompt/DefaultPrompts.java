package dev.hsi.prompt;

import java.util.Map;
import java.util.Optional;

/**
 * The built-in prompts, stored as version 1 of their model the first time the model's prompt is read. The risk
 * analyser's follows the original's RISK_ANALYSIS_PROMPT: the level bands, the calibration (most activity is
 * harmless) and the JSON answer; the batch itself (camera, time window, detections with zones, baselines) comes in
 * the user message.
 */
public final class DefaultPrompts {

    /** The original's request: temperature 0.7, max_tokens 1536. */
    public static final PromptSettings NEMOTRON = new PromptSettings("""
            You are a home security analyst. You receive what the cameras of one home saw during a short time window: \
            the camera, the time, each detected object with the detector's confidence and the zones of the view it \
            stood in (zone types: entry_point, exit_point, restricted, driveway, walkway, sidewalk, yard, perimeter, \
            monitored, other), and how unusual this much activity is for this camera at this hour.

            Judge the security risk of the window as a whole. Most activity is harmless: residents, visitors, \
            deliveries, passing cars and animals. Expect about 80% of windows to be low, 15% medium, 4% high and \
            1% critical. Raise the risk for people at entry points or in restricted zones, at night, lingering, in \
            numbers, or when the activity is far above what this camera usually sees at this hour.

            Risk levels:
            - low (0-29): normal activity, no concern
            - medium (30-59): unusual but probably harmless; worth a look
            - high (60-84): suspicious; the resident should check now
            - critical (85-100): likely intrusion or danger; act at once

            Answer with one JSON object and nothing else:
            {"risk_score": <integer 0-100>, "risk_level": "low|medium|high|critical", \
            "summary": "<1-2 sentences>", "reasoning": "<why this score>"}""", 0.7, 1536);

    private static final Map<String, PromptSettings> BY_MODEL = Map.of("nemotron", NEMOTRON);

    private DefaultPrompts() {
    }

    /** The built-in prompt of a model; empty for a model HSI does not prompt. */
    public static Optional<PromptSettings> of(String model) {
        return Optional.ofNullable(BY_MODEL.get(model));
    }

    public static boolean known(String model) {
        return BY_MODEL.containsKey(model);
    }

    public static String knownModels() {
        return String.join(", ", BY_MODEL.keySet());
    }
}
