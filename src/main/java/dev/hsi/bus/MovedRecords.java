package dev.hsi.bus;

/** Reply to {@link UploadRenamed}: how many detections and processed-upload records now name the new path. */
public record MovedRecords(int detections, int uploads) {

    /** True when the renamed content had been processed before: it has records, now under its new name. */
    public boolean any() {
        return detections > 0 || uploads > 0;
    }
}
