package dev.hsi.metrics;

/** The pipeline intervals whose latency is measured, named as the original's telemetry. */
public enum Stage {
    /** Upload finished (FTP callback or stable file) until the job is on {@code detection_queue}. */
    UPLOAD_TO_QUEUED,
    /** Job queued until the detector has its result (includes the queue wait and image decoding). */
    QUEUED_TO_DETECTED,
    /** The detector's own inference call (pre-processing and model run). */
    INFERENCE,
    /** Detector result until the detection rows are committed. */
    DETECTED_TO_STORED,
    /** Batch closed until its event is committed and broadcast. */
    BATCH_CLOSED_TO_BROADCAST
}
