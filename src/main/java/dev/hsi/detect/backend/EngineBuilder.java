package dev.hsi.detect.backend;

import static dev.hsi.detect.backend.TensorRtSupport.delete;
import static dev.hsi.detect.backend.TensorRtSupport.dims;
import static dev.hsi.detect.backend.TensorRtSupport.shape;
import static org.bytedeco.tensorrt.global.nvinfer.createInferBuilder;

import dev.hsi.detect.model.ModelDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer.BuilderFlag;
import org.bytedeco.tensorrt.global.nvinfer.MemoryPoolType;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.ITensor;
import org.bytedeco.tensorrt.nvonnxparser.IParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an ONNX model into a serialised FP16 TensorRT engine in the engine cache, once per {@link EngineCacheKey}.
 * Building takes from seconds to minutes and is the same work every time, so it happens only when the cache has no
 * engine for the key (or the cached one proves unreadable), never on every start.
 */
public final class EngineBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(EngineBuilder.class);
    private static final long MIB = 1L << 20;
    /** One build at a time per JVM: two detectors of one model must not both spend minutes building it. */
    private static final Object BUILD_LOCK = new Object();

    /** An engine in the cache, and whether this call built it. */
    public record Engine(Path file, EngineCacheKey key, boolean built, long buildSeconds) {
    }

    private EngineBuilder() {
    }

    /**
     * The cache file for this model on this GPU, built first when missing. Blocking: hashes the model, and may run
     * the TensorRT builder for minutes.
     *
     * @param maxBatch the largest batch to build for; the model's own {@code max_batch} caps it
     * @throws BackendUnavailableException when no GPU or no TensorRT is here
     */
    public static Engine ensure(ModelDescriptor model, Path engineDir, int maxBatch) throws IOException {
        GpuProbe.Result gpu = GpuProbe.probe();
        gpu.reason().ifPresent(reason -> {
            throw BackendUnavailableException.tensorRt(reason);
        });
        if (!Files.isRegularFile(model.file())) {
            throw new IOException("model file " + model.file() + " does not exist");
        }
        // The bytes that are hashed are the bytes that are parsed, so a model replaced meanwhile cannot end up in
        // the cache under the old model's key.
        byte[] onnx = Files.readAllBytes(model.file());
        EngineCacheKey key = new EngineCacheKey(model.name(), EngineCacheKey.sha256(onnx), gpu.tensorRtVersion(),
                gpu.gpuName(), Math.max(1, Math.min(maxBatch, model.maxBatch())));
        Path file = key.engineFile(engineDir);
        synchronized (BUILD_LOCK) {
            if (Files.isRegularFile(file)) {
                return new Engine(file, key, false, 0);
            }
            Files.createDirectories(engineDir);
            LOG.info("Building TensorRT engine for model {} on {} (batch <= {}); this runs once per model and GPU",
                    model.name(), gpu.gpuName(), key.maxBatch());
            long start = System.nanoTime();
            build(model, onnx, key.maxBatch(), workspaceBytes(gpu.gpuMemoryBytes()), file);
            long seconds = Math.round((System.nanoTime() - start) / 1e9);
            String note = key.describe().put("onnx_file", model.file().toString())
                    .put("built_at", Instant.now().toString()).put("build_seconds", seconds).encodePrettily();
            writeAtomically(key.sidecarFile(engineDir), ByteBuffer.wrap(note.getBytes(StandardCharsets.UTF_8)));
            LOG.info("Built TensorRT engine {} for model {} on {} in {} s", file, model.name(), gpu.gpuName(), seconds);
            return new Engine(file, key, true, seconds);
        }
    }

    /** Removes an engine TensorRT would not load, so that the next {@link #ensure} builds it again. */
    static void discard(Engine engine, Path engineDir) throws IOException {
        Files.deleteIfExists(engine.file());
        Files.deleteIfExists(engine.key().sidecarFile(engineDir));
    }

    /** Scratch memory for tactic selection: generous enough for fast kernels, bounded so a shared GPU survives. */
    static long workspaceBytes(long gpuMemoryBytes) {
        if (gpuMemoryBytes <= 0) {
            return 1024 * MIB;
        }
        return Math.max(256 * MIB, Math.min(4096 * MIB, gpuMemoryBytes / 4));
    }

    private static void build(ModelDescriptor model, byte[] onnx, int maxBatch, long workspace, Path target)
            throws IOException {
        IBuilder builder = createInferBuilder(TensorRtSupport.logger());
        if (builder == null) {
            throw new IllegalStateException("TensorRT could not create a builder (see the TensorRT errors logged)");
        }
        INetworkDefinition network = null;
        IBuilderConfig config = null;
        IHostMemory plan = null;
        try (BytePointer onnxBytes = new BytePointer(onnx)) {
            // Flags 0: TensorRT 10 networks always have an explicit batch dimension. Not kSTRONGLY_TYPED: that takes
            // every layer's precision from the ONNX types (float32 here) and forbids the kFP16 builder flag.
            network = builder.createNetworkV2(0);
            IParser parser = nvonnxparser.createParser(network, TensorRtSupport.logger());
            // The parser owns the converted weights until the build ends, and cannot be deleted from Java (see
            // TensorRtSupport.delete): it stays until process exit, once per build.
            if (!parser.parse(onnxBytes, onnx.length, model.file().toString())) {
                throw new IOException("TensorRT cannot parse " + model.file() + ": " + parserErrors(parser));
            }
            config = builder.createBuilderConfig();
            config.setFlag(BuilderFlag.kFP16);
            config.setMemoryPoolLimit(MemoryPoolType.kWORKSPACE, workspace);
            addBatchProfile(builder, network, config, maxBatch, model);
            plan = builder.buildSerializedNetwork(network, config);
            if (plan == null || plan.size() == 0) {
                throw new IOException("TensorRT could not build an engine for model " + model.name()
                        + "; the TensorRT errors logged above say why");
            }
            writeAtomically(target, TensorRtSupport.view(plan.data(), plan.size()));
        } finally {
            delete(plan);
            delete(config);
            delete(network);
            delete(builder);
        }
    }

    /**
     * One optimisation profile covering batch 1 to {@code maxBatch} for every input whose batch dimension is
     * dynamic; tuned for the largest batch, which the detect stage forms under load. Other dynamic dimensions
     * would need sizes this code cannot guess, so they are refused with the fix.
     */
    private static void addBatchProfile(IBuilder builder, INetworkDefinition network, IBuilderConfig config,
            int maxBatch, ModelDescriptor model) throws IOException {
        IOptimizationProfile profile = null;
        for (int i = 0; i < network.getNbInputs(); i++) {
            ITensor input = network.getInput(i);
            String name = input.getName();
            long[] shape;
            try (Dims64 dims = input.getDimensions()) {
                shape = shape(dims);
            }
            for (int d = 1; d < shape.length; d++) {
                if (shape[d] < 0) {
                    throw new IOException("model " + model.name() + " input '" + name + "' has shape "
                            + Arrays.toString(shape) + ": only the batch dimension may be dynamic; export the ONNX"
                            + " with a fixed image size");
                }
            }
            if (shape.length == 0 || shape[0] >= 0) {
                continue;
            }
            if (profile == null) {
                profile = builder.createOptimizationProfile();
            }
            setBatch(profile, name, shape, OptProfileSelector.kMIN, 1);
            setBatch(profile, name, shape, OptProfileSelector.kOPT, maxBatch);
            setBatch(profile, name, shape, OptProfileSelector.kMAX, maxBatch);
        }
        if (profile != null && config.addOptimizationProfile(profile) < 0) {
            throw new IOException("TensorRT refused the batch profile 1.." + maxBatch + " for model " + model.name());
        }
    }

    private static void setBatch(IOptimizationProfile profile, String name, long[] shape, OptProfileSelector which,
            int batch) throws IOException {
        long[] sized = shape.clone();
        sized[0] = batch;
        try (Dims64 dims = dims(sized)) {
            if (!profile.setDimensions(name, which, dims)) {
                throw new IOException("TensorRT refused " + which + " shape " + Arrays.toString(sized) + " for input "
                        + name);
            }
        }
    }

    private static String parserErrors(IParser parser) {
        StringBuilder text = new StringBuilder();
        int count = parser.getNbErrors();
        for (int i = 0; i < Math.min(count, 3); i++) {
            var error = parser.getError(i);
            text.append(i == 0 ? "" : "; ").append("node ").append(error.node()).append(" (")
                    .append(error.nodeOperator()).append("): ").append(error.desc());
        }
        if (count > 3) {
            text.append("; and ").append(count - 3).append(" more");
        }
        return count == 0 ? "no error given (see the TensorRT log)" : text.toString();
    }

    /**
     * Writes to a temporary file in the same folder, then renames it into place: a reader (another process, a
     * crash mid-write) never sees half an engine under the final name.
     */
    static void writeAtomically(Path target, ByteBuffer bytes) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
