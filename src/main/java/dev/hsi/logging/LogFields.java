package dev.hsi.logging;

/**
 * The names of the fields a log line may carry into the {@code logs} table's columns of the same names. Stages attach
 * them as SLF4J key-value pairs ({@code LOG.atWarn().addKeyValue(LogFields.CAMERA_ID, id)...}), which travel with the
 * line itself, so they stay right on an event loop that serves many cameras in turn; the MDC keys of the same names
 * are read too, for code that sets them.
 */
public final class LogFields {

    public static final String CAMERA_ID = "camera_id";
    public static final String EVENT_ID = "event_id";
    public static final String DETECTION_ID = "detection_id";

    private LogFields() {
    }
}
