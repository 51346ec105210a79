package dev.hsi.media;

import dev.hsi.config.MediaConfig;
import dev.hsi.detect.DetectedObject;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

class ThumbnailWriterTest {

    /** The red rectangle of {@link #scene()}, also the detection's box. */
    private static final DetectedObject RED_BOX = new DetectedObject("person", 0.87, 200, 100, 120, 200);

    @TempDir
    Path dir;

    @Test
    @DisplayName("The default thumbnail is exactly 320x240 and named {id}_thumb.jpg")
    void defaultSize() throws IOException {
        Path written = writer(320, 240, 85).write(7, scene(), RED_BOX);

        assertThat(written).isEqualTo(dir.resolve("7_thumb.jpg"));
        BufferedImage thumbnail = ImageIO.read(written.toFile());
        assertThat(thumbnail.getWidth()).isEqualTo(320);
        assertThat(thumbnail.getHeight()).isEqualTo(240);
    }

    @Test
    @DisplayName("A configured size other than the default, 200x200, is kept exactly")
    void configuredSize() throws IOException {
        BufferedImage thumbnail = ImageIO.read(writer(200, 200, 85).write(8, scene(), RED_BOX).toFile());

        assertThat(thumbnail.getWidth()).isEqualTo(200);
        assertThat(thumbnail.getHeight()).isEqualTo(200);
        assertThat(isRed(thumbnail.getRGB(100, 100))).isTrue();
    }

    @Test
    @DisplayName("The thumbnail shows the box's region: red in the middle, dark at the corners, nothing from elsewhere")
    void contentIsTheBoxRegion() throws IOException {
        BufferedImage thumbnail = ImageIO.read(writer(320, 240, 85).write(9, scene(), RED_BOX).toFile());

        assertThat(isRed(thumbnail.getRGB(160, 120))).as("centre").isTrue();
        for (int[] corner : new int[][] {{2, 2}, {317, 2}, {2, 237}, {317, 237}}) {
            assertThat(isDark(thumbnail.getRGB(corner[0], corner[1]))).as("corner %d,%d", corner[0], corner[1])
                    .isTrue();
        }
        assertThat(count(thumbnail, ThumbnailWriterTest::isBlue)).as("blue pixels from outside the box").isZero();
    }

    @Test
    @DisplayName("A tall box is letterboxed with dark bars left and right, and outlined in green around the red")
    void letterboxedAndOutlined() throws IOException {
        BufferedImage thumbnail = ImageIO.read(writer(320, 240, 85).write(10, scene(), RED_BOX).toFile());

        // The box with its margins is 156x260 px, scaled to 144x240: bars of 88 px on each side.
        assertThat(isDark(thumbnail.getRGB(40, 120))).isTrue();
        assertThat(isDark(thumbnail.getRGB(280, 120))).isTrue();
        int firstBright = 0;
        while (isDark(thumbnail.getRGB(firstBright, 120))) {
            firstBright++;
        }
        assertThat(firstBright).as("left edge of the box, 88 px bar + 18 px margin scaled").isBetween(100, 110);
        // JPEG's half-resolution colour smears the 2 px green line into the red beside it: green still dominates.
        int outline = thumbnail.getRGB(firstBright + 1, 120);
        assertThat(green(outline)).as("outline at x=%d", firstBright + 1)
                .isGreaterThan(150).isGreaterThan(red(outline) + 30).isGreaterThan(blue(outline) + 30);
        assertThat(isRed(thumbnail.getRGB(firstBright + 6, 120))).as("inside the outline").isTrue();
    }

    @Test
    @DisplayName("The label is drawn on a green strip in the margin above the box")
    void labelAboveTheBox() throws IOException {
        BufferedImage thumbnail = ImageIO.read(writer(320, 240, 85).write(11, scene(), RED_BOX).toFile());

        // The box's top is 30 px of margin scaled by 240/260: about row 28. The strip lies above it.
        BufferedImage above = thumbnail.getSubimage(0, 0, 320, 24);
        assertThat(count(above, ThumbnailWriterTest::isGreen)).as("green strip pixels").isGreaterThan(200);
        int left = 320;
        int right = 0;
        int top = 24;
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 320; x++) {
                if (isGreen(above.getRGB(x, y))) {
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    top = Math.min(top, y);
                }
            }
        }
        BufferedImage strip = above.getSubimage(left, top, right - left + 1, 24 - top);
        assertThat(count(strip, ThumbnailWriterTest::isDark)).as("dark text pixels on the strip").isPositive();
    }

    @Test
    @DisplayName("A box reaching past the picture's edge is clamped, and the thumbnail keeps its size")
    void boxPastTheEdge() throws IOException {
        DetectedObject overhanging = new DetectedObject("car", 0.5, 560, 400, 200, 200);
        DetectedObject outside = new DetectedObject("car", 0.5, 900, 900, 50, 50);
        ThumbnailWriter writer = writer(320, 240, 85);

        BufferedImage clamped = ImageIO.read(writer.write(12, scene(), overhanging).toFile());
        BufferedImage whole = ImageIO.read(writer.write(13, scene(), outside).toFile());

        assertThat(clamped.getWidth()).isEqualTo(320);
        assertThat(clamped.getHeight()).isEqualTo(240);
        assertThat(whole.getWidth()).isEqualTo(320);
        assertThat(whole.getHeight()).isEqualTo(240);
        assertThat(count(whole, ThumbnailWriterTest::isBlue)).as("the whole picture, blue included").isPositive();
    }

    @Test
    @DisplayName("The person photo with its box gives {id}_thumb.jpg, replaced in place and with no temporary file left")
    void personPhoto() throws IOException {
        BufferedImage person;
        try (InputStream in = getClass().getResourceAsStream("/images/person.jpg")) {
            person = ImageIO.read(in);
        }
        DetectedObject box = new DetectedObject("person", 0.91, 187, 109, 89, 266);
        ThumbnailWriter writer = writer(320, 240, 85);

        writer.write(42, person, box);
        Path written = writer.write(42, person, box);

        assertThat(written.getFileName()).hasToString("42_thumb.jpg");
        assertThat(writer.pathFor(42)).isEqualTo(written);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(written);
        }
        BufferedImage thumbnail = ImageIO.read(written.toFile());
        assertThat(thumbnail.getWidth()).isEqualTo(320);
        assertThat(thumbnail.getHeight()).isEqualTo(240);
    }

    @Test
    @DisplayName("render gives the JPEG bytes without writing a file, and a lower quality gives fewer bytes")
    void renderHonoursQuality() throws IOException {
        BufferedImage person;
        try (InputStream in = getClass().getResourceAsStream("/images/person.jpg")) {
            person = ImageIO.read(in);
        }
        DetectedObject box = new DetectedObject("person", 0.91, 187, 109, 89, 266);

        byte[] fine = writer(320, 240, 95).render(person, box);
        byte[] coarse = writer(320, 240, 20).render(person, box);

        assertThat(coarse.length).isLessThan(fine.length);
        assertThat(ImageIO.read(new ByteArrayInputStream(fine)).getWidth()).isEqualTo(320);
        assertThat(dir).isEmptyDirectory();
    }

    private ThumbnailWriter writer(int width, int height, int quality) {
        return new ThumbnailWriter(new MediaConfig(dir, width, height, quality, Duration.ofSeconds(4), 20, 0));
    }

    /** 640x480 black, a red rectangle where the box is and a blue one far from it. */
    private static BufferedImage scene() {
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(RED_BOX.x(), RED_BOX.y(), RED_BOX.width(), RED_BOX.height());
        g.setColor(Color.BLUE);
        g.fillRect(20, 380, 80, 80);
        g.dispose();
        return image;
    }

    private static int count(BufferedImage image, IntPredicate test) {
        int found = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (test.test(image.getRGB(x, y))) {
                    found++;
                }
            }
        }
        return found;
    }

    private static boolean isRed(int rgb) {
        return red(rgb) > 200 && green(rgb) < 60 && blue(rgb) < 60;
    }

    private static boolean isGreen(int rgb) {
        return green(rgb) > 200 && red(rgb) < 80 && blue(rgb) < 80;
    }

    private static boolean isBlue(int rgb) {
        return blue(rgb) > 200 && red(rgb) < 60 && green(rgb) < 60;
    }

    private static boolean isDark(int rgb) {
        return red(rgb) < 50 && green(rgb) < 50 && blue(rgb) < 50;
    }

    private static int red(int rgb) {
        return (rgb >> 16) & 0xff;
    }

    private static int green(int rgb) {
        return (rgb >> 8) & 0xff;
    }

    private static int blue(int rgb) {
        return rgb & 0xff;
    }
}
