package dev.hsi.config;

import java.nio.file.Path;
import java.util.List;

/** The object detector and the worker pool it runs on. */
public record DetectConfig(
        Path modelDir, double confidenceThreshold, int workers, int inferenceThreads, List<String> objectTypes) {

    public static final String MODEL_DIR = "MODEL_DIR";
    public static final String DETECTION_CONFIDENCE_THRESHOLD = "DETECTION_CONFIDENCE_THRESHOLD";
    public static final String DETECTOR_WORKERS = "DETECTOR_WORKERS";
    public static final String DETECTOR_THREADS = "DETECTOR_THREADS";
    public static final String DETECTION_OBJECT_TYPES = "DETECTION_OBJECT_TYPES";

    /** The classes a home security system cares about (the original's RT-DETR server list). */
    public static final List<String> SECURITY_CLASSES =
            List.of("person", "car", "truck", "bus", "bicycle", "motorcycle", "dog", "cat", "bird");

    static DetectConfig read(EnvReader env, Path dataDir) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new DetectConfig(
                Path.of(env.string(MODEL_DIR, dataDir.resolve("models").toString())).toAbsolutePath().normalize(),
                env.decimal(DETECTION_CONFIDENCE_THRESHOLD, 0.5, 0.0, 1.0),
                env.integer(DETECTOR_WORKERS, 1, 1, 64),
                env.integer(DETECTOR_THREADS, Math.max(1, cores), 1, 256),
                env.list(DETECTION_OBJECT_TYPES, SECURITY_CLASSES));
    }
}
