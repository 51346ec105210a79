package dev.hsi.detect.backend;

import dev.hsi.config.DetectConfig;
import dev.hsi.detect.Detector;
import dev.hsi.detect.model.CenterNetModel;
import dev.hsi.detect.model.ModelDescriptor;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the detector {@code DETECTOR_BACKEND} asks for, and logs in one line which backend runs, on what, with
 * which model, and why. {@code auto} takes TensorRT where an NVIDIA GPU and driver answer, ONNX Runtime otherwise.
 */
public final class DetectorRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(DetectorRegistry.class);

    private DetectorRegistry() {
    }

    /** Blocking (may fetch and convert a model, or build a TensorRT engine): call it before verticles start. */
    public static Detector create(DetectConfig config) throws Exception {
        Detector detector;
        String why;
        switch (config.backend()) {
            case HTTP -> {
                detector = HttpDetector.create(config.http(), config.maxBatch());
                why = "DETECTOR_BACKEND=http";
            }
            case ONNXRUNTIME -> {
                detector = OnnxRuntimeDetector.load(model(config), config.inferenceThreads());
                why = "DETECTOR_BACKEND=onnxruntime";
            }
            case TENSORRT -> {
                detector = TensorRtDetector.load(model(config), config.engineDir(), config.maxBatch());
                why = "DETECTOR_BACKEND=tensorrt";
            }
            default -> {
                Optional<String> noGpu = GpuProbe.unavailableReason();
                if (noGpu.isEmpty()) {
                    detector = TensorRtDetector.load(model(config), config.engineDir(), config.maxBatch());
                    why = "DETECTOR_BACKEND=auto and an NVIDIA GPU answered";
                } else {
                    detector = OnnxRuntimeDetector.load(model(config), config.inferenceThreads());
                    why = "DETECTOR_BACKEND=auto and TensorRT is unavailable (" + noGpu.get() + ")";
                }
            }
        }
        LOG.info("Detector backend: {}; chosen because {}", detector.describe(), why);
        return detector;
    }

    /** {@code DETECTOR_MODEL} with its descriptor, or the built-in CenterNet (fetched and converted once). */
    static ModelDescriptor model(DetectConfig config) throws IOException {
        if (config.model().isPresent()) {
            return ModelDescriptor.forModel(config.model().get());
        }
        return ModelDescriptor.centerNet(CenterNetModel.ensure(config.modelDir()));
    }
}
