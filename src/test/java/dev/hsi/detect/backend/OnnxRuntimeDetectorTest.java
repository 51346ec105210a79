package dev.hsi.detect.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hsi.detect.DetectedObject;
import dev.hsi.detect.Frame;
import dev.hsi.detect.model.CenterNetModel;
import dev.hsi.detect.model.ModelDescriptor;
import dev.hsi.detect.model.RtDetrTestModel;
import dev.hsi.support.Images;
import dev.hsi.support.TestEnv;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Both model families through ONNX Runtime: the decoders, batching, and model descriptors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxRuntimeDetectorTest {

    @TempDir
    static Path models;
    private OnnxRuntimeDetector rtDetr;
    private OnnxRuntimeDetector centerNet;

    @BeforeAll
    void load() throws Exception {
        rtDetr = OnnxRuntimeDetector.load(ModelDescriptor.forModel(RtDetrTestModel.write(models, 8)), 2);
        centerNet = OnnxRuntimeDetector.load(ModelDescriptor.centerNet(CenterNetModel.ensure(TestEnv.MODEL_DIR)), 2);
    }

    @AfterAll
    void close() {
        rtDetr.close();
        centerNet.close();
    }

    @Test
    @DisplayName("The RT-DETRv2 decoder reads labels, xyxy boxes in original pixels and scores, dropping weak queries")
    void rtDetrDecoder() throws Exception {
        List<DetectedObject> objects = rtDetr.detect(List.of(Frame.ofImage("white", plain(800, 600, Color.WHITE)))).get(0);

        assertThat(objects).extracting(DetectedObject::label).containsExactly("person", "car", "dog");
        DetectedObject person = objects.get(0);
        assertThat(person.confidence()).isCloseTo(0.90, within(1e-4));
        assertThat(List.of(person.x(), person.y(), person.width(), person.height())).containsExactly(80, 120, 160, 420);
        DetectedObject car = objects.get(1);
        assertThat(List.of(car.x(), car.y(), car.width(), car.height())).containsExactly(400, 300, 320, 180);
    }

    @Test
    @DisplayName("N images in one RT-DETRv2 call give the same detections as N single calls")
    void rtDetrBatchEqualsSingles() throws Exception {
        List<Frame> frames = List.of(Frame.ofImage("white", plain(640, 480, Color.WHITE)),
                Frame.ofImage("grey", plain(1280, 720, Color.GRAY)), Frame.ofFile(Images.PERSON));

        List<List<DetectedObject>> batched = rtDetr.detect(frames);

        assertThat(batched).hasSize(3);
        for (int i = 0; i < frames.size(); i++) {
            assertSame(batched.get(i), rtDetr.detect(List.of(frames.get(i))).get(0));
        }
        assertThat(batched.get(1).get(0).confidence()).as("grey scores less than white")
                .isLessThan(batched.get(0).get(0).confidence());
        assertThat(batched.get(1).get(0).width()).as("boxes follow each image's own size").isEqualTo(256);
    }

    @Test
    @DisplayName("The CenterNet decoder finds the person in person.jpg with a box in original pixels")
    void centerNetDecoder() throws Exception {
        List<DetectedObject> objects = centerNet.detect(List.of(Frame.ofFile(Images.PERSON))).get(0);

        DetectedObject person = objects.stream().filter(o -> o.label().equals("person")).findFirst().orElseThrow();
        assertThat(person.confidence()).isGreaterThan(0.6);
        assertThat(person.x() + person.width() / 2).isBetween(160, 320);
        assertThat(person.height()).isGreaterThan(2 * person.width());
    }

    @Test
    @DisplayName("A fixed-batch model given several frames runs them one by one with the same results")
    void centerNetBatchEqualsSingles() throws Exception {
        List<Frame> frames = List.of(Frame.ofFile(Images.PERSON), Frame.ofFile(Images.DOG), Frame.ofFile(Images.EAGLE));

        List<List<DetectedObject>> batched = centerNet.detect(frames);

        assertThat(centerNet.maxBatch()).isEqualTo(1);
        for (int i = 0; i < frames.size(); i++) {
            assertSame(batched.get(i), centerNet.detect(List.of(frames.get(i))).get(0));
        }
        assertThat(batched.get(1)).extracting(DetectedObject::label).contains("car", "bicycle", "dog");
    }

    @Test
    @DisplayName("A model without a descriptor, or with an unknown family, is refused with the file named")
    void badDescriptors(@TempDir Path dir) throws IOException {
        Path model = Files.write(dir.resolve("mystery.onnx"), new byte[] {1});
        assertThatThrownBy(() -> ModelDescriptor.forModel(model)).hasMessageContaining("mystery.json").hasMessageContaining("missing");
        Files.writeString(dir.resolve("mystery.json"), "{\"family\": \"yolo\"}");
        assertThatThrownBy(() -> ModelDescriptor.forModel(model)).hasMessageContaining("family must be centernet or rtdetr");
    }

    private static void assertSame(List<DetectedObject> actual, List<DetectedObject> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.size(); i++) {
            DetectedObject a = actual.get(i);
            DetectedObject e = expected.get(i);
            assertThat(a.label()).isEqualTo(e.label());
            assertThat(a.confidence()).isCloseTo(e.confidence(), within(1e-4));
            assertThat(List.of(a.x(), a.y(), a.width(), a.height())).isEqualTo(List.of(e.x(), e.y(), e.width(), e.height()));
        }
    }

    private static BufferedImage plain(int width, int height, Color color) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }
}
