package dev.hsi.detect.family;

import dev.hsi.detect.DetectedObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy class-agnostic non-maximum suppression: the model may call one object both "car" (0.55) and "truck"
 * (0.32); only the stronger box survives.
 */
final class NonMaxSuppression {

    private NonMaxSuppression() {
    }

    static List<DetectedObject> apply(List<DetectedObject> candidates, double iouThreshold) {
        List<DetectedObject> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(DetectedObject::confidence).reversed());
        List<DetectedObject> kept = new ArrayList<>();
        for (DetectedObject candidate : sorted) {
            if (kept.stream().noneMatch(k -> k.iou(candidate) > iouThreshold)) {
                kept.add(candidate);
            }
        }
        return kept;
    }
}
