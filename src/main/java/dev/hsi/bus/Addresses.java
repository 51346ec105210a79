package dev.hsi.bus;

/** Every event-bus address, defined once. Facts are named in the past tense: {@code stage.fact}. */
public final class Addresses {

    /** {@link DetectionsStored}: the detect stage committed the detections of one image. */
    public static final String DETECTIONS_STORED = "detect.detections-stored";

    /**
     * Request {@link UploadRenamed}, reply {@link MovedRecords}: an upload's file was renamed; the detect stage moves
     * the records of its content to the new path.
     */
    public static final String UPLOAD_RENAMED = "detect.upload-renamed";

    /** {@link SecurityEvent}: the analyze stage committed an event. */
    public static final String EVENT_CREATED = "analyze.event-created";

    /**
     * Request/reply, {@link CleanupRequest} → {@link CleanupReport}: run the retention cleanup now. Fails with
     * {@link BusError#BUSY} while a cleanup runs, {@link BusError#FAILED} when it could not finish.
     */
    public static final String RUN_CLEANUP = "retention.run-cleanup";

    /**
     * Request/reply, any body → {@link OrphanedReferences}: count the references into partitioned tables (which
     * carry no foreign key) whose row no longer exists.
     */
    public static final String COUNT_ORPHANED_REFERENCES = "retention.count-orphaned-references";

    /** {@link ZonesChanged}: a camera's zones were created, changed or deleted (committed). */
    public static final String ZONES_CHANGED = "zones.zones-changed";

    /** {@link AlertChanged}: an alert was created, its delivery recorded, or a user acknowledged or dismissed it. */
    public static final String ALERT_CHANGED = "alerts.alert-changed";

    /** Request {@link NotificationTestRequested}, reply {@link NotificationTestResult}: send a test notification. */
    public static final String NOTIFICATION_TEST = "alerts.notification-test";

    /** Request (no body), reply {@link NotificationSettings}: the notification channels' settings, no secrets. */
    public static final String NOTIFICATION_SETTINGS = "alerts.notification-settings";

    private Addresses() {
    }
}
