package dev.hsi.bus;

/** Every Redis key, queue and channel name, defined once, with the original system's names. */
public final class RedisKeys {

    public static final String DETECTION_QUEUE = "detection_queue";
    public static final String ANALYSIS_QUEUE = "analysis_queue";
    /** SCAN pattern matching every open batch's pointer key. */
    public static final String OPEN_BATCH_PATTERN = "batch:*:current";
    /** Open batches expire after an hour, so that state orphaned by a crash cannot pile up. */
    public static final int BATCH_TTL_SECONDS = 3600;

    private RedisKeys() {
    }

    /** Jobs a consumer has taken but not yet finished: moved back to the queue on restart. */
    public static String processing(String queue) {
        return queue + ":processing";
    }

    public static String deadLetter(String queue) {
        return "dlq:" + queue;
    }

    public static String dedupe(String sha256) {
        return "dedupe:" + sha256;
    }

    public static String currentBatch(String cameraId) {
        return "batch:" + cameraId + ":current";
    }

    /** The camera id inside a {@link #currentBatch} key found by SCAN. */
    public static String cameraOfCurrentBatchKey(String key) {
        return key.substring("batch:".length(), key.length() - ":current".length());
    }

    public static String batchCameraId(String batchId) {
        return "batch:" + batchId + ":camera_id";
    }

    public static String batchDetections(String batchId) {
        return "batch:" + batchId + ":detections";
    }

    public static String batchStartedAt(String batchId) {
        return "batch:" + batchId + ":started_at";
    }

    public static String batchLastActivity(String batchId) {
        return "batch:" + batchId + ":last_activity";
    }

    /**
     * The batch a detection was added to (or the fast-path batch it was analysed in), kept after the batch closed:
     * a detection announced again is recognised and never joins a second batch.
     */
    public static String batchOfDetection(long detectionId) {
        return "detection:" + detectionId + ":batch";
    }
}
