package dev.hsi.detect;

/** An object to store: what the detector found and, for a clip, the frame's offset in seconds. */
record FoundObject(DetectedObject object, Double frameOffsetSeconds) {
}
