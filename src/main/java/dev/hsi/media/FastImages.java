package dev.hsi.media;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decoding and resizing of camera images, the two costs around inference. OpenCV (libjpeg-turbo with SIMD, through
 * JavaCPP) does both about four times faster than ImageIO and Java2D on this class of machine (see
 * docs/performance.md); where its native libraries do not load, the JDK's path is used, with the same results
 * within rounding. Images are {@link BufferedImage#TYPE_3BYTE_BGR}, which is OpenCV's own layout, so moving between
 * the two is one copy of the pixel bytes. Blocking and thread-safe.
 */
public final class FastImages {

    private static final Logger LOG = LoggerFactory.getLogger(FastImages.class);
    private static final boolean NATIVE = loadNative();

    private FastImages() {
    }

    /** Which implementation runs, for the start-up log. */
    public static String implementation() {
        return NATIVE ? "OpenCV " + opencv_core.CV_VERSION() : "ImageIO and Java2D (OpenCV unavailable)";
    }

    /** The picture in BGR bytes, or null when the bytes are not a decodable JPEG or PNG. */
    public static BufferedImage decode(byte[] encoded) throws IOException {
        if (!NATIVE) {
            return ImageIO.read(new ByteArrayInputStream(encoded));
        }
        try (BytePointer bytes = new BytePointer(encoded);
                Mat raw = new Mat(1, encoded.length, opencv_core.CV_8UC1, bytes);
                Mat image = opencv_imgcodecs.imdecode(raw, opencv_imgcodecs.IMREAD_COLOR)) {
            if (image.empty()) {
                return null;
            }
            BufferedImage result = new BufferedImage(image.cols(), image.rows(), BufferedImage.TYPE_3BYTE_BGR);
            image.data().get(((DataBufferByte) result.getRaster().getDataBuffer()).getData());
            return result;
        }
    }

    /**
     * Resizes the picture bilinearly to width × height and appends it to {@code out} as RGB floats multiplied by
     * {@code scale}, pixel-interleaved (NHWC) or as three planes (NCHW).
     */
    public static void putRgb(BufferedImage image, int width, int height, boolean planar, float scale, FloatBuffer out) {
        BufferedImage bgr = asBgr(image);
        if (NATIVE) {
            putRgbNative(bgr, width, height, planar, scale, out);
        } else {
            putRgbJava(bgr, width, height, planar, scale, out);
        }
    }

    private static void putRgbNative(BufferedImage bgr, int width, int height, boolean planar, float scale,
            FloatBuffer out) {
        byte[] pixels = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        int count = width * height * 3;
        try (BytePointer source = new BytePointer(pixels);
                Mat image = new Mat(bgr.getHeight(), bgr.getWidth(), opencv_core.CV_8UC3, source);
                Mat resized = new Mat();
                Mat rgb = new Mat();
                Mat floats = new Mat();
                Size size = new Size(width, height)) {
            opencv_imgproc.resize(image, resized, size, 0, 0, opencv_imgproc.INTER_LINEAR);
            opencv_imgproc.cvtColor(resized, rgb, opencv_imgproc.COLOR_BGR2RGB);
            rgb.convertTo(floats, opencv_core.CV_32FC3, scale, 0);
            FloatBuffer interleaved = new FloatPointer(floats.data()).capacity(count).asBuffer();
            if (!planar) {
                out.put(interleaved);
                return;
            }
            int plane = width * height;
            int base = out.position();
            for (int p = 0; p < plane; p++) {
                out.put(base + p, interleaved.get(3 * p));
                out.put(base + plane + p, interleaved.get(3 * p + 1));
                out.put(base + 2 * plane + p, interleaved.get(3 * p + 2));
            }
            out.position(base + count);
        }
    }

    private static void putRgbJava(BufferedImage bgr, int width, int height, boolean planar, float scale,
            FloatBuffer out) {
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D graphics = canvas.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.drawImage(bgr, 0, 0, width, height, null);
        } finally {
            graphics.dispose();
        }
        byte[] pixels = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
        int plane = width * height;
        int base = out.position();
        for (int p = 0, i = 0; p < plane; p++, i += 3) {
            float r = (pixels[i + 2] & 0xFF) * scale;
            float g = (pixels[i + 1] & 0xFF) * scale;
            float b = (pixels[i] & 0xFF) * scale;
            if (planar) {
                out.put(base + p, r).put(base + plane + p, g).put(base + 2 * plane + p, b);
            } else {
                out.put(r).put(g).put(b);
            }
        }
        if (planar) {
            out.position(base + 3 * plane);
        }
    }

    /** Pictures from ImageIO (PNG with alpha, grey JPEG, CMYK) are brought to BGR bytes once. */
    private static BufferedImage asBgr(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return image;
        }
        BufferedImage bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D graphics = bgr.createGraphics();
        graphics.drawImage(image, 0, 0, null);
        graphics.dispose();
        return bgr;
    }

    private static boolean loadNative() {
        try {
            opencv_core.getNumThreads(); // loads the native libraries
            opencv_core.setNumThreads(1); // callers run one image per worker thread; OpenCV must not add threads
            return true;
        } catch (Throwable e) {
            LOG.warn("OpenCV's native libraries do not load ({}); images are decoded with ImageIO instead", e.toString());
            return false;
        }
    }
}
