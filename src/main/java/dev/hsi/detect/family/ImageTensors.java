package dev.hsi.detect.family;

import dev.hsi.detect.Frame;
import dev.hsi.media.FastImages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Resizes pictures into model input tensors. The float buffer is kept per thread and reused from call to call, so
 * a worker that detects thousands of images allocates it once.
 */
final class ImageTensors {

    /** Channel order of the tensor. */
    enum Layout { NHWC, NCHW }

    private static final ThreadLocal<FloatBuffer> BUFFER = new ThreadLocal<>();

    private ImageTensors() {
    }

    /**
     * One tensor {@code [n, ...]} of RGB floats for n images, each bilinearly resized to width × height (as the
     * models were trained) and multiplied by {@code scale}. The returned buffer is this thread's: consume it
     * before the thread's next call.
     */
    static FloatBuffer rgb(List<Frame> frames, int width, int height, Layout layout, float scale) {
        Shape shape = new Shape(width, height, layout, scale);
        FloatBuffer buffer = buffer(frames.size() * width * height * 3);
        for (Frame frame : frames) {
            float[] prepared = frame.prepared(shape);
            if (prepared != null) {
                buffer.put(prepared);
            } else {
                FastImages.putRgb(frame.image(), width, height, layout == Layout.NCHW, scale, buffer);
            }
        }
        return buffer.flip();
    }

    /** Resizes each frame into its input now, so that {@link #rgb} later only copies it. */
    static void prepare(List<Frame> frames, int width, int height, Layout layout, float scale) {
        Shape shape = new Shape(width, height, layout, scale);
        for (Frame frame : frames) {
            if (frame.prepared(shape) == null) {
                float[] input = new float[width * height * 3];
                FastImages.putRgb(frame.image(), width, height, layout == Layout.NCHW, scale, FloatBuffer.wrap(input));
                frame.prepare(shape, input);
            }
        }
    }

    /** What a prepared input was made for. */
    private record Shape(int width, int height, Layout layout, float scale) {
    }

    private static FloatBuffer buffer(int floats) {
        FloatBuffer buffer = BUFFER.get();
        if (buffer == null || buffer.capacity() < floats) {
            // direct and in native order: ONNX Runtime reads such a buffer in place instead of copying it
            buffer = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            BUFFER.set(buffer);
        }
        buffer.clear();
        buffer.limit(floats);
        return buffer;
    }
}
