package dev.hsi.metrics;

/** The pipeline intervals whose latency is measured, named as the original's telemetry. */
public enum Stage {
    /** Upload finished (FTP callback or stable file) until the job is on {@code detection_queue}. */
    UPLOAD_TO_QUEUED,
    /** Job queued until the detector has its result (the original's measure: queue wait, decoding, inference). */
    QUEUED_TO_DETECTED,
    /** Job queued until a detect worker claimed it: back-pressure, not work. */
    QUEUE_WAIT,
    /** Reading and decoding the image file for the detector. */
    DECODE,
    /** The detector's own call: resize to the model input and the model run. */
    INFERENCE,
    /** Detector result until the detection rows are committed. */
    DETECTED_TO_STORED,
    /** Drawing and writing the thumbnails of one image's detections (after the event path moved on). */
    THUMBNAILS,
    /** Batch closed until its event is committed and broadcast. */
    BATCH_CLOSED_TO_BROADCAST,
    /** Event announced until its alert was taken by every channel: the alert stage's own share, delivery included. */
    EVENT_TO_ALERT_DELIVERED,
    /** Batch closed until its event's alert was taken by every channel its rule names (the webhook answered 2xx). */
    BATCH_CLOSED_TO_ALERT_DELIVERED
}
