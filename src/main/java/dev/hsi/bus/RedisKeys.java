package dev.hsi.bus;

/** Every Redis key, queue and channel name, defined once, with the original system's names. */
public final class RedisKeys {

    public static final String DETECTION_QUEUE = "detection_queue";
    public static final String ANALYSIS_QUEUE = "analysis_queue";
    /** SCAN pattern matching every open batch's pointer key. */
    public static final String OPEN_BATCH_PATTERN = "batch:*:current";
    /** Open batches expire after an hour, so that state orphaned by a crash cannot pile up. */
    public static final int BATCH_TTL_SECONDS = 3600;
    /**
     * How long a {@link #renamedUpload} is remembered: longer than any job waits in its queue, and long enough for a
     * dead-lettered job to be requeued within a week.
     */
    public static final int RENAMED_UPLOAD_TTL_SECONDS = 7 * 24 * 3600;

    private RedisKeys() {
    }

    /**
     * The one processing list of versions before per-consumer lists. Nothing claims into it any more; its jobs are
     * moved back to the queue at start, so that a Redis written by such a version strands nothing.
     */
    public static String legacyProcessing(String queue) {
        return queue + ":processing";
    }

    /**
     * Jobs one consumer has taken and not yet finished. Moved back to the queue by the reaper once the consumer's
     * {@link #consumerHeartbeat} has expired.
     */
    public static String processing(String queue, String consumerId) {
        return queue + ":processing:" + consumerId;
    }

    /** The ids of the consumers of a queue that may hold jobs (a set): where the reaper looks. */
    public static String consumers(String queue) {
        return queue + ":consumers";
    }

    /** Present (with a TTL the consumer keeps renewing) while the consumer lives. */
    public static String consumerHeartbeat(String queue, String consumerId) {
        return queue + ":heartbeat:" + consumerId;
    }

    public static String deadLetter(String queue) {
        return "dlq:" + queue;
    }

    public static String dedupe(String sha256) {
        return "dedupe:" + sha256;
    }

    /**
     * Where the content {@code sha256} that was at {@code path} went when it was renamed over FTP (the value is the
     * new path). Written by the ingest stage before the file moves, so that a job queued under the old name is
     * loaded from, and stored under, the new one. Keyed by content too: cameras reuse one temporary name.
     */
    public static String renamedUpload(String sha256, String path) {
        return "renamed:" + sha256 + ":" + path;
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
