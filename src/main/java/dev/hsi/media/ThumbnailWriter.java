package dev.hsi.media;

import dev.hsi.config.MediaConfig;
import dev.hsi.detect.DetectedObject;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the JPEG thumbnail of one detection: the box's region with some context around it, fitted into the
 * configured size with dark bars where the aspect ratios differ, the box outlined and labelled.
 * Blocking (encoding, file writes); thread-safe, as it holds only configuration.
 */
public final class ThumbnailWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ThumbnailWriter.class);

    /** Context kept around the box on each side, as a share of the box's size: enough to see where it is. */
    static final double MARGIN = 0.15;
    static final Color BARS = new Color(16, 16, 16);
    static final Color OUTLINE = new Color(0, 255, 0);
    private static final float OUTLINE_WIDTH = 2f;
    private static final Color LABEL_TEXT = Color.BLACK;

    /** Set once a label could not be drawn, so a server without fonts warns once, not per thumbnail. */
    private static final AtomicBoolean LABEL_FAILURE_LOGGED = new AtomicBoolean();

    private final Path directory;
    private final int width;
    private final int height;
    private final float quality;

    public ThumbnailWriter(MediaConfig config) {
        this.directory = config.thumbnailDir();
        this.width = config.thumbnailWidth();
        this.height = config.thumbnailHeight();
        this.quality = config.thumbnailQuality() / 100f;
    }

    /** The file name the API and cleanup expect for a detection's thumbnail. */
    public static String fileName(long detectionId) {
        return detectionId + "_thumb.jpg";
    }

    /** Where the thumbnail of a detection is, or would be once written. */
    public Path pathFor(long detectionId) {
        return directory.resolve(fileName(detectionId));
    }

    /**
     * Writes the thumbnail through a temporary file moved into place, so a reader (the API serving it) never
     * sees a half-written JPEG. An existing thumbnail of the same detection is replaced.
     */
    public Path write(long detectionId, BufferedImage source, DetectedObject box) {
        byte[] jpeg = render(source, box);
        Path target = pathFor(detectionId);
        Path temp = null;
        try {
            Files.createDirectories(directory);
            // In the target's directory, so the move is a rename on one file system.
            temp = Files.createTempFile(directory, "." + fileName(detectionId) + ".", ".tmp");
            Files.write(temp, jpeg);
            move(temp, target);
            temp = null;
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write thumbnail " + target, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** The thumbnail as JPEG bytes, without touching the disk: for generating one on demand. */
    public byte[] render(BufferedImage source, DetectedObject box) {
        return encode(draw(source, box));
    }

    BufferedImage draw(BufferedImage source, DetectedObject box) {
        Rectangle bounds = new Rectangle(0, 0, source.getWidth(), source.getHeight());
        Rectangle object = new Rectangle(box.x(), box.y(), box.width(), box.height()).intersection(bounds);
        if (object.isEmpty()) {
            // A box outside the picture (a detector's rounding, a resized source): the whole picture still
            // shows what was detected better than no thumbnail at all.
            object = bounds;
        }
        int marginX = (int) Math.round(object.width * MARGIN);
        int marginY = (int) Math.round(object.height * MARGIN);
        Rectangle crop = new Rectangle(object.x - marginX, object.y - marginY,
                object.width + 2 * marginX, object.height + 2 * marginY).intersection(bounds);

        double scale = Math.min((double) width / crop.width, (double) height / crop.height);
        int scaledWidth = Math.max(1, Math.min(width, (int) Math.round(crop.width * scale)));
        int scaledHeight = Math.max(1, Math.min(height, (int) Math.round(crop.height * scale)));
        int offsetX = (width - scaledWidth) / 2;
        int offsetY = (height - scaledHeight) / 2;

        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(BARS);
            g.fillRect(0, 0, width, height);
            BufferedImage region = source.getSubimage(crop.x, crop.y, crop.width, crop.height);
            g.drawImage(scaled(region, scaledWidth, scaledHeight), offsetX, offsetY, null);

            int boxX = offsetX + (int) Math.round((object.x - crop.x) * scale);
            int boxY = offsetY + (int) Math.round((object.y - crop.y) * scale);
            int boxWidth = Math.max(2, (int) Math.round(object.width * scale));
            int boxHeight = Math.max(2, (int) Math.round(object.height * scale));
            g.setColor(OUTLINE);
            g.setStroke(new BasicStroke(OUTLINE_WIDTH));
            // The stroke is centred on the path: inset by half its width so the whole line lies inside the
            // box, and is not cut off where the box touches the picture's edge.
            g.drawRect(boxX + 1, boxY + 1, boxWidth - 2, boxHeight - 2);
            drawLabel(g, box, boxX, boxY);
        } finally {
            g.dispose();
        }
        return canvas;
    }

    /**
     * Scales down in halving steps before the last one: a single bilinear step from a large region skips most
     * source pixels and gives a grainy, aliased thumbnail.
     */
    private static BufferedImage scaled(BufferedImage region, int targetWidth, int targetHeight) {
        BufferedImage current = region;
        int currentWidth = region.getWidth();
        int currentHeight = region.getHeight();
        while (currentWidth / 2 >= targetWidth && currentHeight / 2 >= targetHeight) {
            currentWidth /= 2;
            currentHeight /= 2;
            current = resized(current, currentWidth, currentHeight);
        }
        return resized(current, targetWidth, targetHeight);
    }

    private static BufferedImage resized(BufferedImage image, int targetWidth, int targetHeight) {
        BufferedImage out = new BufferedImage(targetWidth, targetHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, targetWidth, targetHeight, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The label on a strip in the outline's colour, above the box where there is room, else just inside it. */
    private void drawLabel(Graphics2D g, DetectedObject box, int boxX, int boxY) {
        String text = String.format(Locale.ROOT, "%s %d%%", box.label(), Math.round(box.confidence() * 100));
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, Math.round(height / 16f))));
            FontMetrics metrics = g.getFontMetrics();
            int stripWidth = metrics.stringWidth(text) + 6;
            int stripHeight = metrics.getAscent() + metrics.getDescent() + 2;
            int x = Math.max(0, Math.min(boxX, width - stripWidth));
            int y = boxY - stripHeight >= 0 ? boxY - stripHeight : Math.max(0, boxY);
            g.setColor(OUTLINE);
            g.fillRect(x, y, stripWidth, stripHeight);
            g.setColor(LABEL_TEXT);
            g.drawString(text, x + 3, y + 1 + metrics.getAscent());
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // A JVM without usable fonts (a slim container with no fontconfig) fails on any text; the box and
            // the picture are what matter, so the thumbnail is kept without its label.
            if (LABEL_FAILURE_LOGGED.compareAndSet(false, true)) {
                LOG.warn("Thumbnails are written without labels: text cannot be drawn ({})", e.toString());
            }
        }
    }

    private byte[] encode(BufferedImage image) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no JPEG writer available in this JVM");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // A memory-cached stream: ImageIO's default may cache through temporary files for an in-memory target.
        try (ImageOutputStream output = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(output);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding of a thumbnail failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warn("Cannot delete temporary thumbnail {}: {}", temp, e.getMessage());
        }
    }
}
