package dev.hsi.detect.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hsi.config.AppConfig;
import dev.hsi.detect.Detector;
import dev.hsi.detect.model.RtDetrTestModel;
import dev.hsi.support.LogCapture;
import dev.hsi.support.TestEnv;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DETECTOR_BACKEND picks the backend, and the start-up log says which runs and why. */
class DetectorRegistryTest {

    @TempDir
    Path dataDir;

    @Test
    @DisplayName("DETECTOR_BACKEND=tensorrt without a GPU fails at start with one clear sentence")
    void tensorRtWithoutGpuFails() {
        assertThatThrownBy(() -> DetectorRegistry.create(config(Map.of("DETECTOR_BACKEND", "tensorrt")).detect()))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageStartingWith("DETECTOR_BACKEND=tensorrt needs an NVIDIA GPU");
    }

    @Test
    @DisplayName("auto falls back to ONNX Runtime on the CPU and logs the backend, device, model and why")
    void autoFallsBackToOnnxRuntime() throws Exception {
        try (LogCapture log = new LogCapture(DetectorRegistry.class);
                Detector detector = DetectorRegistry.create(config(Map.of()).detect())) {
            assertThat(detector).isInstanceOf(OnnxRuntimeDetector.class);
            assertThat(log.messagesContaining("Detector backend:")).singleElement().asString()
                    .contains("onnxruntime on CPU").contains("centernet-coco80")
                    .contains("DETECTOR_BACKEND=auto and TensorRT is unavailable");
        }
    }

    @Test
    @DisplayName("DETECTOR_MODEL runs the model its descriptor describes, here an RT-DETRv2-shaped one")
    void detectorModelIsUsed() throws Exception {
        Path model = RtDetrTestModel.write(dataDir.resolve("models"), 8);
        try (Detector detector = DetectorRegistry.create(config(Map.of("DETECTOR_BACKEND", "onnxruntime",
                "DETECTOR_MODEL", model.toString())).detect())) {
            assertThat(detector.describe()).contains("rtdetr-test").contains("rtdetr").contains("batch <= 8");
            assertThat(detector.maxBatch()).isEqualTo(8);
        }
    }

    @Test
    @DisplayName("An unknown DETECTOR_BACKEND is refused at start, listing the known ones")
    void unknownBackend() {
        assertThatThrownBy(() -> config(Map.of("DETECTOR_BACKEND", "coral")))
                .hasMessageContaining("DETECTOR_BACKEND must be one of auto, tensorrt, onnxruntime, http");
    }

    private AppConfig config(Map<String, String> overrides) {
        Map<String, String> env = TestEnv.pipeline(dataDir);
        env.putAll(overrides);
        return AppConfig.fromEnv(env);
    }
}
