package dev.hsi.detect;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * An object detector. {@link #detect} is blocking and thread-safe: the detect stage calls it from its inference
 * worker pool, never from an event loop.
 */
public interface Detector extends AutoCloseable {

    /** One line for the start-up log: backend, device, model. */
    String describe();

    /** Every object found, before class and confidence filtering, after non-maximum suppression. */
    List<DetectedObject> detect(BufferedImage image) throws Exception;

    @Override
    void close();
}
