package dev.hsi.detect;

import java.util.List;

/**
 * An object detector backend (ONNX Runtime, TensorRT, a remote HTTP detector). {@link #detect} is blocking and
 * thread-safe: the detect stage calls it from its inference worker pool, never from an event loop.
 */
public interface Detector extends AutoCloseable {

    /** One line for the start-up log: backend, device, model. */
    String describe();

    /** The most frames one {@link #detect} call takes; the detect stage groups up to this many queued images. */
    int maxBatch();

    /**
     * The objects in each frame (same order as the frames), boxes in original-image pixels, after non-maximum
     * suppression, before class and confidence filtering.
     */
    List<List<DetectedObject>> detect(List<Frame> frames) throws Exception;

    /**
     * Optional work on the frames before {@link #detect}, such as resizing them into the model's input, run on the
     * decode pool so that the inference thread only runs the model. Blocking.
     */
    default void prepare(List<Frame> frames) {
    }

    @Override
    void close();
}
