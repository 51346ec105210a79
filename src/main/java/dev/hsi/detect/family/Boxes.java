package dev.hsi.detect.family;

import dev.hsi.detect.DetectedObject;

/** Turns corner coordinates into a detection clamped to the picture (models may reach a pixel past the edge). */
final class Boxes {

    private Boxes() {
    }

    static DetectedObject fromCorners(String label, double score, double x1, double y1, double x2, double y2,
            int width, int height) {
        int left = clamp(x1, width);
        int top = clamp(y1, height);
        int right = clamp(x2, width);
        int bottom = clamp(y2, height);
        return new DetectedObject(label, score, left, top, Math.max(0, right - left), Math.max(0, bottom - top));
    }

    private static int clamp(double value, int max) {
        return (int) Math.max(0, Math.min(max, Math.round(value)));
    }
}
