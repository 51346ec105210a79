package dev.hsi.bus;

import java.time.Instant;
import java.util.List;

/** Fact: the detections of one image are committed. Carries the job's timestamps for latency metrics. */
public record DetectionsStored(String cameraId, String filePath, List<StoredDetection> detections, Instant uploadedAt) {

    public DetectionsStored {
        detections = List.copyOf(detections);
    }
}
