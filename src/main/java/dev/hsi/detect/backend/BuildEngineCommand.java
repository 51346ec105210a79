package dev.hsi.detect.backend;

import dev.hsi.config.AppConfig;
import dev.hsi.config.ConfigException;
import dev.hsi.config.DetectConfig;
import dev.hsi.detect.model.CenterNetModel;
import dev.hsi.detect.model.ModelDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar hsi.jar build-engine --model <model.onnx | centernet> [--model-dir DIR] [--engine-dir DIR]
 * [--max-batch N]}: builds the TensorRT engine for a model into the engine cache ahead of time, so that the
 * server's first start on a GPU does not spend minutes building it. Defaults come from the same environment
 * variables the server reads ({@code DATA_DIR}, {@code MODEL_DIR}, {@code DETECTOR_MAX_BATCH}), so the engine lands
 * where the server will look for it.
 */
public final class BuildEngineCommand {

    public static final String NAME = "build-engine";
    static final String USAGE = "usage: build-engine --model <model.onnx | centernet> [--model-dir DIR]"
            + " [--engine-dir DIR] [--max-batch N]";
    private static final List<String> OPTIONS = List.of("--model", "--model-dir", "--engine-dir", "--max-batch");

    private BuildEngineCommand() {
    }

    /**
     * Runs the command; {@code args} may start with {@code build-engine} itself.
     *
     * @return the exit status: 0 built or already cached, 1 the build failed, 2 bad arguments or no usable GPU
     */
    public static int run(String[] args) {
        return run(args, System.getenv(), System.out, System.err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println(NAME + ": " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (options.containsKey("--help")) {
            out.println(USAGE);
            return 0;
        }
        DetectConfig defaults;
        try {
            defaults = AppConfig.fromEnv(env).detect();
        } catch (ConfigException e) {
            err.println(NAME + ": " + e.getMessage());
            return 2;
        }
        int maxBatch;
        try {
            maxBatch = options.containsKey("--max-batch")
                    ? Integer.parseInt(options.get("--max-batch")) : defaults.maxBatch();
        } catch (NumberFormatException e) {
            maxBatch = 0;
        }
        if (maxBatch < 1 || maxBatch > 256) {
            err.println(NAME + ": --max-batch must be a whole number from 1 to 256, got " + options.get("--max-batch"));
            err.println(USAGE);
            return 2;
        }
        String modelOption = options.get("--model");
        if (!modelOption.equals("centernet") && !modelOption.endsWith(".onnx")) {
            err.println(NAME + ": --model must be an .onnx file or 'centernet', got " + modelOption);
            err.println(USAGE);
            return 2;
        }
        // Before the model: fetching CenterNet or hashing a large file is wasted on a machine that cannot build.
        var noGpu = GpuProbe.unavailableReason();
        if (noGpu.isPresent()) {
            err.println(NAME + " needs an NVIDIA GPU: " + noGpu.get());
            return 2;
        }
        Path engineDir = options.containsKey("--engine-dir")
                ? Path.of(options.get("--engine-dir")).toAbsolutePath().normalize() : defaults.engineDir();
        ModelDescriptor model;
        try {
            model = modelOption.equals("centernet")
                    ? ModelDescriptor.centerNet(CenterNetModel.ensure(options.containsKey("--model-dir")
                            ? Path.of(options.get("--model-dir")) : defaults.modelDir()))
                    : ModelDescriptor.forModel(Path.of(modelOption).toAbsolutePath().normalize());
        } catch (IOException e) {
            err.println(NAME + ": " + e.getMessage());
            return 2;
        }
        try {
            EngineBuilder.Engine engine = EngineBuilder.ensure(model, engineDir, maxBatch);
            // Loading it proves the engine deserialises on this GPU (and replaces a damaged cached one).
            try (TensorRtDetector detector = TensorRtDetector.load(model, engineDir, maxBatch, 1)) {
                out.println((engine.built() ? "Built TensorRT engine in " + engine.buildSeconds() + " s: "
                        : "TensorRT engine already cached (delete it to rebuild): ") + detector.engineFile());
                out.println("It loads: " + detector.describe());
            }
            return 0;
        } catch (BackendUnavailableException e) {
            err.println(NAME + ": " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println(NAME + ": building the TensorRT engine for " + model.name() + " failed: " + e.getMessage());
            return 1;
        }
    }

    /** {@code --name value} or {@code --name=value}; a leading {@code build-engine} is skipped. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        int start = args.length > 0 && args[0].equals(NAME) ? 1 : 0;
        for (int i = start; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                options.put("--help", "");
                return options;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            options.put(name, value);
        }
        if (!options.containsKey("--model")) {
            throw new IllegalArgumentException("--model is required");
        }
        return options;
    }
}
