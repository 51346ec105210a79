package dev.hsi.bus;

import java.time.Instant;

/** One committed row of {@code detections}, identified by its full key {@code (id, detected_at)}. */
public record StoredDetection(long id, Instant detectedAt, String cameraId, String objectType, double confidence) {
}
