package dev.hsi.detect;

/**
 * An object to store: what the detector found, for a clip the frame's offset in seconds, and the size in pixels of
 * the picture it was found in (its box's position in the picture places it in the camera's zones).
 */
record FoundObject(DetectedObject object, Double frameOffsetSeconds, int frameWidth, int frameHeight) {

    /** The box's bottom-centre (where the object stands on the ground), normalised to 0..1 of the picture. */
    double groundX() {
        return (object.x() + object.width() / 2.0) / frameWidth;
    }

    double groundY() {
        return (double) (object.y() + object.height()) / frameHeight;
    }
}
