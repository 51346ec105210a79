package dev.hsi.detect;

/** One object a detector found, its box in original-image pixels with a top-left origin. */
public record DetectedObject(String label, double confidence, int x, int y, int width, int height) {

    public double area() {
        return (double) width * height;
    }

    /** Intersection over union of two boxes. */
    public double iou(DetectedObject other) {
        int left = Math.max(x, other.x);
        int top = Math.max(y, other.y);
        int right = Math.min(x + width, other.x + other.width);
        int bottom = Math.min(y + height, other.y + other.height);
        double intersection = Math.max(0, right - left) * (double) Math.max(0, bottom - top);
        double union = area() + other.area() - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
