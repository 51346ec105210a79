package dev.hsi.detect.family;

import dev.hsi.media.FastImages;
import java.awt.image.BufferedImage;
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
    static FloatBuffer rgb(List<BufferedImage> images, int width, int height, Layout layout, float scale) {
        FloatBuffer buffer = buffer(images.size() * width * height * 3);
        for (BufferedImage image : images) {
            FastImages.putRgb(image, width, height, layout == Layout.NCHW, scale, buffer);
        }
        return buffer.flip();
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
