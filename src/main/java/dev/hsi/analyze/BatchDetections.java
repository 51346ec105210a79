package dev.hsi.analyze;

import java.util.List;

/** A batch's detections as stored, with the camera's display name. */
record BatchDetections(String cameraName, List<DetectionFact> detections) {
}
