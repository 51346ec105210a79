package dev.hsi.entity;

/**
 * A write would make an entity point at a detection that does not exist. The message is seed 000's:
 * "Detection with id=123 does not exist. Cannot set as primary_detection_id for Entity."
 */
public final class MissingDetectionException extends RuntimeException {

    private final long detectionId;

    public MissingDetectionException(long detectionId) {
        super("Detection with id=" + detectionId + " does not exist. Cannot set as primary_detection_id for Entity.",
                null, false, false);
        this.detectionId = detectionId;
    }

    public long detectionId() {
        return detectionId;
    }
}
