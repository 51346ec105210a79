package dev.hsi.detect.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * End to end: fetch and convert the real model (once; cached in the shared, git-ignored
 * .cache/models), then run it on test photos the way the detector will.
 */
class CenterNetModelTest {

    private static final int SIZE = CenterNetModel.INPUT_SIZE;

    private static OrtEnvironment env;
    private static OrtSession session;
    private static Path modelDir;

    record Detection(String label, float score, float x1, float y1, float x2, float y2) {
    }

    @BeforeAll
    static void loadModel() throws Exception {
        modelDir = Path.of(".cache/models");
        Path model = CenterNetModel.ensure(modelDir);
        env = OrtEnvironments.get();
        session = env.createSession(model.toString(), new OrtSession.SessionOptions());
    }

    @AfterAll
    static void close() throws Exception {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void modelHasTheAdvertisedInterfaceAndLicenseNote() throws Exception {
        assertThat(session.getInputNames()).containsExactly(TfjsGraphConverter.INPUT_NAME);
        assertThat(session.getOutputNames()).containsExactly(TfjsGraphConverter.OUTPUT_NAME);
        assertThat(CenterNetModel.ensure(modelDir)).isEqualTo(modelDir.resolve(CenterNetModel.MODEL_FILE));
        String license = Files.readString(modelDir.resolve(CenterNetModel.LICENSE_FILE));
        assertThat(license).contains("MIT License", "Vladimir Mandic",
                "github.com/610265158/mobilenetv3_centernet", "no license file");
    }

    @Test
    void findsThePersonStandingInTheField() throws Exception {
        BufferedImage image = read("person.jpg");
        List<Detection> found = detect(image);

        Detection person = best(found, "person");
        assertThat(person.score()).isGreaterThan(0.5f);
        // The person stands left of centre (the dog is further left, the horse right), upright.
        float w = image.getWidth();
        float h = image.getHeight();
        assertThat(person.x1()).isBetween(0f, w);
        assertThat(person.x2()).isBetween(person.x1(), w);
        assertThat(person.y1()).isBetween(0f, h);
        assertThat(person.y2()).isBetween(person.y1(), h + 2);
        assertThat((person.x1() + person.x2()) / 2 / w).isBetween(0.25f, 0.5f);
        assertThat(person.y2() - person.y1()).isGreaterThan(2 * (person.x2() - person.x1()));
        assertThat((person.y2() - person.y1()) / h).isGreaterThan(0.5f);
    }

    @Test
    void findsTheDogAndTheBicycleOrCar() throws Exception {
        List<Detection> top = detect(read("dog.jpg")).subList(0, 5);

        assertThat(top).anySatisfy(d -> {
            assertThat(d.label()).isEqualTo("dog");
            assertThat(d.score()).isGreaterThan(0.3f);
        });
        assertThat(top).anySatisfy(d -> {
            assertThat(d.label()).isIn("bicycle", "car");
            assertThat(d.score()).isGreaterThan(0.3f);
        });
    }

    @Test
    void findsHorsesAndTheBird() throws Exception {
        List<Detection> horses = detect(read("horses.jpg")).stream()
                .filter(d -> d.label().equals("horse") && d.score() > 0.3f).toList();
        assertThat(horses).hasSizeGreaterThanOrEqualTo(3);
        assertThat(best(detect(read("eagle.jpg")), "bird").score()).isGreaterThan(0.5f);
    }

    /** Scores seen with a known-good conversion; a layout or padding mistake moves them far more. */
    @Test
    void reproducesTheScoresOfAKnownGoodConversion() throws Exception {
        List<Detection> dog = detect(read("dog.jpg"));
        assertThat(best(dog, "car").score()).isCloseTo(0.55f, within(0.02f));
        assertThat(best(dog, "bicycle").score()).isCloseTo(0.49f, within(0.02f));
        assertThat(best(dog, "dog").score()).isCloseTo(0.42f, within(0.02f));
        List<Detection> person = detect(read("person.jpg"));
        assertThat(best(person, "person").score()).isCloseTo(0.67f, within(0.02f));
        assertThat(best(person, "dog").score()).isCloseTo(0.44f, within(0.02f));
        assertThat(best(detect(read("eagle.jpg")), "bird").score()).isCloseTo(0.55f, within(0.02f));
    }

    /** Runs the model; boxes come back in the image's own pixels, highest score first. */
    private static List<Detection> detect(BufferedImage image) throws Exception {
        float[] pixels = resizeBilinear(image);
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {1, SIZE, SIZE, 3});
             OrtSession.Result result = session.run(Map.of(TfjsGraphConverter.INPUT_NAME, input))) {
            float[][] rows = ((float[][][]) result.get(0).getValue())[0];
            float sx = image.getWidth() / (float) SIZE;
            float sy = image.getHeight() / (float) SIZE;
            List<Detection> out = new ArrayList<>();
            for (float[] r : rows) {
                out.add(new Detection(CocoLabels.name((int) r[5]), r[4], r[0] * sx, r[1] * sy, r[2] * sx, r[3] * sy));
            }
            return out;
        }
    }

    private static Detection best(List<Detection> found, String label) {
        return found.stream().filter(d -> d.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + label + " among " + found.subList(0, 10)));
    }

    /** NHWC float RGB 0..255 at 512x512, bilinear with half-pixel centres (as OpenCV and Pillow resize). */
    private static float[] resizeBilinear(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[] out = new float[SIZE * SIZE * 3];
        for (int y = 0; y < SIZE; y++) {
            double fy = Math.max(0, (y + 0.5) * h / SIZE - 0.5);
            int y0 = (int) fy;
            int y1 = Math.min(y0 + 1, h - 1);
            double dy = fy - y0;
            for (int x = 0; x < SIZE; x++) {
                double fx = Math.max(0, (x + 0.5) * w / SIZE - 0.5);
                int x0 = (int) fx;
                int x1 = Math.min(x0 + 1, w - 1);
                double dx = fx - x0;
                for (int c = 0; c < 3; c++) {
                    int shift = 16 - 8 * c;
                    double top = lerp(channel(argb[y0 * w + x0], shift), channel(argb[y0 * w + x1], shift), dx);
                    double bottom = lerp(channel(argb[y1 * w + x0], shift), channel(argb[y1 * w + x1], shift), dx);
                    out[(y * SIZE + x) * 3 + c] = (float) lerp(top, bottom, dy);
                }
            }
        }
        return out;
    }

    private static int channel(int argb, int shift) {
        return (argb >> shift) & 0xff;
    }

    private static double lerp(double a, double b, double t) {
        return a + (b - a) * t;
    }

    private static BufferedImage read(String name) throws Exception {
        try (InputStream in = CenterNetModelTest.class.getResourceAsStream("/images/" + name)) {
            assertThat(in).as(name).isNotNull();
            return ImageIO.read(in);
        }
    }
}
