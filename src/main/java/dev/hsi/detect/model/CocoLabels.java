package dev.hsi.detect.model;

import java.util.List;

/**
 * The 80 COCO object classes in the order the CenterNet model numbers them (0-based), as listed in
 * {@code src/object/labels.ts} of {@code @vladmandic/human}.
 */
public final class CocoLabels {

    public static final List<String> NAMES = List.of(
            "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat",
            "traffic light", "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog",
            "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella",
            "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball", "kite",
            "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
            "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange",
            "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant",
            "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone",
            "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors",
            "teddy bear", "hair drier", "toothbrush");

    private CocoLabels() {
    }

    /** @throws IllegalArgumentException for an index outside 0..79 */
    public static String name(int classIndex) {
        if (classIndex < 0 || classIndex >= NAMES.size()) {
            throw new IllegalArgumentException("COCO class index out of range: " + classIndex);
        }
        return NAMES.get(classIndex);
    }

    /** The 0-based index of a class name, or -1 when it is not a COCO class. */
    public static int indexOf(String name) {
        return NAMES.indexOf(name);
    }
}
