package dev.hsi.detect.family;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.FloatBuffer;

/**
 * Resizes pictures into model input tensors. The resize canvas and the float buffer are kept per thread and reused
 * from call to call, so a worker that detects thousands of images allocates them once.
 */
final class ImageTensors {

    /** Channel order of the tensor. */
    enum Layout { NHWC, NCHW }

    private static final ThreadLocal<BufferedImage> CANVAS = new ThreadLocal<>();
    private static final ThreadLocal<FloatBuffer> BUFFER = new ThreadLocal<>();

    private ImageTensors() {
    }

    /**
     * One tensor {@code [n, ...]} of RGB floats for n images, each bilinearly resized to width × height (as the
     * models were trained) and multiplied by {@code scale}. The returned buffer is this thread's: consume it
     * before the thread's next call.
     */
    static FloatBuffer rgb(java.util.List<BufferedImage> images, int width, int height, Layout layout, float scale) {
        int plane = width * height;
        FloatBuffer buffer = buffer(images.size() * plane * 3);
        for (BufferedImage image : images) {
            byte[] bgr = resize(image, width, height);
            int base = buffer.position();
            if (layout == Layout.NHWC) {
                for (int i = 0; i < bgr.length; i += 3) {
                    buffer.put((bgr[i + 2] & 0xFF) * scale).put((bgr[i + 1] & 0xFF) * scale).put((bgr[i] & 0xFF) * scale);
                }
            } else {
                for (int p = 0, i = 0; p < plane; p++, i += 3) {
                    buffer.put(base + p, (bgr[i + 2] & 0xFF) * scale);
                    buffer.put(base + plane + p, (bgr[i + 1] & 0xFF) * scale);
                    buffer.put(base + 2 * plane + p, (bgr[i] & 0xFF) * scale);
                }
                buffer.position(base + 3 * plane);
            }
        }
        return buffer.flip();
    }

    private static FloatBuffer buffer(int floats) {
        FloatBuffer buffer = BUFFER.get();
        if (buffer == null || buffer.capacity() < floats) {
            buffer = FloatBuffer.allocate(floats);
            BUFFER.set(buffer);
        }
        buffer.clear();
        buffer.limit(floats);
        return buffer;
    }

    /** The resized picture's bytes in B, G, R order; the canvas is reused while the size stays the same. */
    private static byte[] resize(BufferedImage image, int width, int height) {
        BufferedImage canvas = CANVAS.get();
        if (canvas == null || canvas.getWidth() != width || canvas.getHeight() != height) {
            canvas = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            CANVAS.set(canvas);
        }
        Graphics2D graphics = canvas.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.drawImage(image, 0, 0, width, height, null);
        } finally {
            graphics.dispose();
        }
        return ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
    }
}
