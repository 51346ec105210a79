package dev.hsi.bus;

/** Every event-bus address, defined once. Facts are named in the past tense: {@code stage.fact}. */
public final class Addresses {

    /** {@link DetectionsStored}: the detect stage committed the detections of one image. */
    public static final String DETECTIONS_STORED = "detect.detections-stored";

    /** {@link SecurityEvent}: the analyze stage committed an event. */
    public static final String EVENT_CREATED = "analyze.event-created";

    private Addresses() {
    }
}
