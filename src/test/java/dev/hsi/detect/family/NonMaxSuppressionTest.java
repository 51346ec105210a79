package dev.hsi.detect.family;

import dev.hsi.detect.DetectedObject;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NonMaxSuppressionTest {

    private static final double IOU_THRESHOLD = 0.5;

    @Test
    @DisplayName("One vehicle called both car (0.55) and truck (0.32) is kept once, as the car")
    void overlappingLabelsKeepTheStrongest() {
        DetectedObject truck = new DetectedObject("truck", 0.32, 102, 198, 300, 152);
        DetectedObject car = new DetectedObject("car", 0.55, 100, 200, 300, 150);

        List<DetectedObject> kept = NonMaxSuppression.apply(List.of(truck, car), IOU_THRESHOLD);

        assertThat(kept).containsExactly(car);
    }

    @Test
    @DisplayName("Two people standing apart are both kept")
    void separateObjectsAreAllKept() {
        DetectedObject left = new DetectedObject("person", 0.8, 10, 50, 60, 180);
        DetectedObject right = new DetectedObject("person", 0.7, 400, 60, 55, 170);

        List<DetectedObject> kept = NonMaxSuppression.apply(List.of(right, left), IOU_THRESHOLD);

        assertThat(kept).containsExactlyInAnyOrder(left, right);
    }

    @Test
    @DisplayName("Identical boxes have an IoU of 1")
    void iouOfIdenticalBoxes() {
        DetectedObject box = new DetectedObject("car", 0.9, 10, 20, 100, 50);

        assertThat(box.iou(new DetectedObject("truck", 0.4, 10, 20, 100, 50))).isCloseTo(1.0, within(1e-9));
    }

    @Test
    @DisplayName("Disjoint boxes, even touching ones, have an IoU of 0")
    void iouOfDisjointBoxes() {
        DetectedObject box = new DetectedObject("car", 0.9, 0, 0, 100, 100);

        assertThat(box.iou(new DetectedObject("car", 0.9, 300, 300, 50, 50))).isZero();
        assertThat(box.iou(new DetectedObject("car", 0.9, 100, 0, 50, 100))).isZero();
    }
}
