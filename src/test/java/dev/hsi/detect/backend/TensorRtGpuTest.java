package dev.hsi.detect.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.detect.DetectedObject;
import dev.hsi.detect.Frame;
import dev.hsi.detect.model.CenterNetModel;
import dev.hsi.detect.model.ModelDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TensorRT backend on a real NVIDIA GPU with the built-in CenterNet model: {@code mvn -Pgpu test
 * -Dtest=TensorRtGpuTest}. Skipped, with the reason, wherever {@link GpuProbe} finds no usable GPU.
 */
class TensorRtGpuTest {

    private static final Path PERSON = Path.of("src/test/resources/images/person.jpg");
    /** FP16 and FP32 runs of one model differ a little; more than this would be a wrong engine, not rounding. */
    private static final int BOX_PIXELS = 6;
    private static final double SCORE_DELTA = 0.05;

    @TempDir
    static Path engineDir;
    private static ModelDescriptor model;
    private static TensorRtDetector detector;
    private static Path engineFile;
    private static FileTime builtAt;

    /**
     * Skips every test, with the probe's reason. Checked per test rather than in {@link #buildEngine}: Surefire
     * reports a class aborted in {@code @BeforeAll} as zero tests run, which hides the reason.
     */
    @BeforeEach
    void requireGpu() {
        Assumptions.assumeTrue(GpuProbe.unavailableReason().isEmpty(),
                () -> "skipped: " + GpuProbe.unavailableReason().orElse(""));
    }

    @BeforeAll
    static void buildEngine() throws Exception {
        if (GpuProbe.unavailableReason().isPresent()) {
            return;
        }
        model = ModelDescriptor.centerNet(CenterNetModel.ensure(Path.of(".cache/models")));
        detector = TensorRtDetector.load(model, engineDir, 8);
        engineFile = detector.engineFile();
        builtAt = Files.getLastModifiedTime(engineFile);
    }

    @AfterAll
    static void close() {
        if (detector != null) {
            detector.close();
        }
    }

    @Test
    @DisplayName("the first load builds the engine into the cache with its note; a second load reuses it")
    void buildsOnceThenReuses() throws Exception {
        assertThat(engineFile.getParent()).isEqualTo(engineDir);
        assertThat(engineFile.getFileName().toString()).matches("centernet-coco80-[0-9a-f]{16}\\.engine");
        assertThat(engineFile.resolveSibling(engineFile.getFileName().toString().replace(".engine", ".json")))
                .isRegularFile();
        assertThat(detector.describe()).startsWith("tensorrt on " + GpuProbe.gpuName() + ", model centernet-coco80")
                .contains("FP16 engine " + engineFile).endsWith("batch <= 1)");
        assertThat(detector.maxBatch()).as("CenterNet's graph fixes batch 1").isEqualTo(1);

        try (TensorRtDetector again = TensorRtDetector.load(model, engineDir, 8)) {
            assertThat(again.engineFile()).isEqualTo(engineFile);
        }
        assertThat(Files.getLastModifiedTime(engineFile)).as("not rebuilt").isEqualTo(builtAt);
        try (Stream<Path> files = Files.list(engineDir)) {
            assertThat(files).hasSize(2);
        }
    }

    @Test
    @DisplayName("finds the person in person.jpg as ONNX Runtime does: boxes within a few pixels, scores within 0.05")
    void matchesOnnxRuntime() throws Exception {
        List<DetectedObject> gpu = detector.detect(List.of(Frame.ofFile(PERSON))).get(0);
        List<DetectedObject> cpu;
        try (OnnxRuntimeDetector reference = OnnxRuntimeDetector.load(model, 2)) {
            cpu = reference.detect(List.of(Frame.ofFile(PERSON))).get(0);
        }

        DetectedObject person = best(gpu, "person");
        assertThat(person.confidence()).isGreaterThan(0.5);
        assertClose(gpu, cpu, BOX_PIXELS, SCORE_DELTA);
    }

    @Test
    @DisplayName("concurrent calls each get their own context and agree with a lone call")
    void concurrentCallsAgree() throws Exception {
        List<DetectedObject> alone = detector.detect(List.of(Frame.ofFile(PERSON))).get(0);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<List<List<DetectedObject>>>> calls = IntStream.range(0, 24)
                    .mapToObj(i -> pool.submit(
                            () -> detector.detect(List.of(Frame.ofFile(PERSON), Frame.ofFile(PERSON)))))
                    .toList();
            for (Future<List<List<DetectedObject>>> call : calls) {
                List<List<DetectedObject>> both = call.get();
                assertThat(both).hasSize(2);
                // the same engine on the same input: equal up to the order of floating-point reductions
                assertClose(both.get(0), alone, 1, 1e-3);
                assertClose(both.get(1), alone, 1, 1e-3);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(detector.toString()).contains("contexts ");
    }

    /** Every object of {@code expected} scoring 0.3 or more has a counterpart of its label in {@code actual}. */
    private static void assertClose(List<DetectedObject> actual, List<DetectedObject> expected, int pixels,
            double scoreDelta) {
        for (DetectedObject wanted : expected.stream().filter(o -> o.confidence() >= 0.3).toList()) {
            DetectedObject found = actual.stream().filter(o -> o.label().equals(wanted.label()))
                    .max(Comparator.comparingDouble(o -> o.iou(wanted)))
                    .orElseThrow(() -> new AssertionError("missed " + wanted + "; found " + actual));
            assertThat(Math.abs(found.x() - wanted.x())).as("x of %s", wanted).isLessThanOrEqualTo(pixels);
            assertThat(Math.abs(found.y() - wanted.y())).as("y of %s", wanted).isLessThanOrEqualTo(pixels);
            assertThat(Math.abs(found.width() - wanted.width())).as("width of %s", wanted).isLessThanOrEqualTo(pixels);
            assertThat(Math.abs(found.height() - wanted.height())).as("height of %s", wanted)
                    .isLessThanOrEqualTo(pixels);
            assertThat(Math.abs(found.confidence() - wanted.confidence())).as("score of %s", wanted)
                    .isLessThanOrEqualTo(scoreDelta);
        }
    }

    private static DetectedObject best(List<DetectedObject> objects, String label) {
        return objects.stream().filter(o -> o.label().equals(label))
                .max(Comparator.comparingDouble(DetectedObject::confidence))
                .orElseThrow(() -> new AssertionError("no " + label + " among " + objects));
    }
}
