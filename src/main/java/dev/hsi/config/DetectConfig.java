package dev.hsi.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The object detector: which backend and model, the worker pool it runs on, what it keeps. */
public record DetectConfig(
        Backend backend,
        Optional<Path> model,
        Path modelDir,
        Path engineDir,
        double confidenceThreshold,
        int workers,
        int inferenceThreads,
        int maxBatch,
        List<String> objectTypes,
        HttpDetectorConfig http,
        MediaConfig media) {

    /** {@code DETECTOR_BACKEND}: auto picks TensorRT where a GPU and driver answer, ONNX Runtime otherwise. */
    public enum Backend { AUTO, TENSORRT, ONNXRUNTIME, HTTP }

    public static final String DETECTOR_BACKEND = "DETECTOR_BACKEND";
    public static final String DETECTOR_MODEL = "DETECTOR_MODEL";
    public static final String MODEL_DIR = "MODEL_DIR";
    public static final String DETECTION_CONFIDENCE_THRESHOLD = "DETECTION_CONFIDENCE_THRESHOLD";
    public static final String DETECTOR_WORKERS = "DETECTOR_WORKERS";
    public static final String DETECTOR_THREADS = "DETECTOR_THREADS";
    public static final String DETECTOR_MAX_BATCH = "DETECTOR_MAX_BATCH";
    public static final String DETECTION_OBJECT_TYPES = "DETECTION_OBJECT_TYPES";

    /** The classes a home security system cares about (the original's RT-DETR server list). */
    public static final List<String> SECURITY_CLASSES =
            List.of("person", "car", "truck", "bus", "bicycle", "motorcycle", "dog", "cat", "bird");

    static DetectConfig read(EnvReader env, Path dataDir) {
        int cores = Runtime.getRuntime().availableProcessors();
        Optional<Path> model = env.optional(DETECTOR_MODEL).map(p -> Path.of(p).toAbsolutePath().normalize());
        model.filter(p -> !p.toString().endsWith(".onnx"))
                .ifPresent(p -> env.problem(DETECTOR_MODEL + " must point at an .onnx file, got " + p));
        return new DetectConfig(
                backend(env),
                model,
                Path.of(env.string(MODEL_DIR, dataDir.resolve("models").toString())).toAbsolutePath().normalize(),
                dataDir.resolve("engines"),
                env.decimal(DETECTION_CONFIDENCE_THRESHOLD, 0.5, 0.0, 1.0),
                env.integer(DETECTOR_WORKERS, 1, 1, 64),
                env.integer(DETECTOR_THREADS, Math.max(1, cores), 1, 256),
                env.integer(DETECTOR_MAX_BATCH, 8, 1, 256),
                env.list(DETECTION_OBJECT_TYPES, SECURITY_CLASSES),
                HttpDetectorConfig.read(env),
                MediaConfig.read(env, dataDir));
    }

    private static Backend backend(EnvReader env) {
        String value = env.string(DETECTOR_BACKEND, "auto");
        try {
            return Backend.valueOf(value.toUpperCase());
        } catch (IllegalArgumentException e) {
            env.problem(DETECTOR_BACKEND + " must be one of auto, tensorrt, onnxruntime, http; got '" + value + "'");
            return Backend.AUTO;
        }
    }
}
