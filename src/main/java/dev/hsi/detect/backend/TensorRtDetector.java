package dev.hsi.detect.backend;

import static dev.hsi.detect.backend.TensorRtSupport.delete;
import static dev.hsi.detect.backend.TensorRtSupport.shape;

import dev.hsi.detect.DetectedObject;
import dev.hsi.detect.Detector;
import dev.hsi.detect.Frame;
import dev.hsi.detect.family.ModelFamily;
import dev.hsi.detect.model.ModelDescriptor;
import dev.hsi.detect.model.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvinfer.TensorIOMode;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A detection model run by TensorRT as an FP16 engine on NVIDIA GPU 0. The engine comes from the engine cache
 * ({@link EngineBuilder}); pre-processing and decoding are the model family's, shared with ONNX Runtime. Each
 * concurrent {@link #detect} call gets its own execution context, stream and buffers ({@link TensorRtSlot}),
 * created on first need up to a limit, then reused.
 */
public final class TensorRtDetector implements Detector {

    /** Contexts beyond the detect stage's worker count would only hold GPU memory; four covers typical pools. */
    public static final int DEFAULT_CONTEXTS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(TensorRtDetector.class);
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final ModelDescriptor model;
    private final ModelFamily family;
    private final IRuntime runtime;
    private final ICudaEngine engine;
    private final Path engineFile;
    private final String gpuName;
    private final List<TensorRtSlot.Io> tensors;
    private final int maxBatch;
    private final int maxContexts;
    private final BlockingQueue<TensorRtSlot> idle = new LinkedBlockingQueue<>();
    private final List<TensorRtSlot> slots = new CopyOnWriteArrayList<>();
    private final AtomicInteger contextsAllowed;
    private volatile boolean closed;

    private TensorRtDetector(ModelDescriptor model, ModelFamily family, IRuntime runtime, ICudaEngine engine,
            Path engineFile, int maxContexts) {
        this.model = model;
        this.family = family;
        this.runtime = runtime;
        this.engine = engine;
        this.engineFile = engineFile;
        this.gpuName = GpuProbe.gpuName();
        this.tensors = ioTensors(engine);
        this.maxBatch = engineBatch(tensors, model);
        this.maxContexts = maxContexts;
        this.contextsAllowed = new AtomicInteger(maxContexts);
        for (String name : family.outputNames()) {
            TensorRtSlot.Io output = tensors.stream().filter(t -> !t.input() && t.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the engine for model " + model.name()
                            + " has no output '" + name + "'; its tensors are " + tensors.stream().map(
                                    TensorRtSlot.Io::name).toList()));
            if (!TensorRtSupport.copyable(output.dataType())) {
                throw new IllegalStateException("model " + model.name() + " output '" + name + "' is "
                        + TensorRtSupport.typeName(output.dataType()) + "; float32, int32 or int64 is needed");
            }
        }
        // The first context up front: a model that cannot get one fails at start, not at the first upload.
        addSlot();
    }

    /** As {@link #load(ModelDescriptor, Path, int, int)} with up to {@link #DEFAULT_CONTEXTS} contexts. */
    public static TensorRtDetector load(ModelDescriptor model, Path engineDir, int maxBatch) throws IOException {
        return load(model, engineDir, maxBatch, DEFAULT_CONTEXTS);
    }

    /**
     * Blocking: takes the model's engine from {@code engineDir}, building it first when missing (minutes), and
     * loads it onto GPU 0.
     *
     * @param maxBatch the most frames per inference (the model descriptor's {@code max_batch} caps it)
     * @param maxContexts the most concurrent {@link #detect} calls; more callers wait for a free context
     * @throws BackendUnavailableException when there is no usable NVIDIA GPU or no TensorRT, before any file work
     */
    public static TensorRtDetector load(ModelDescriptor model, Path engineDir, int maxBatch, int maxContexts)
            throws IOException {
        GpuProbe.unavailableReason().ifPresent(reason -> {
            throw BackendUnavailableException.tensorRt(reason);
        });
        ModelFamily family = ModelFamily.of(model);
        EngineBuilder.Engine cached = EngineBuilder.ensure(model, engineDir, maxBatch);
        IRuntime runtime = nvinfer.createInferRuntime(TensorRtSupport.logger());
        if (runtime == null) {
            throw new IllegalStateException("TensorRT could not create a runtime (see the TensorRT errors logged)");
        }
        ICudaEngine engine = null;
        try {
            engine = deserialize(runtime, cached.file());
            if (engine == null && !cached.built()) {
                LOG.warn("TensorRT engine {} does not load (damaged, or written by another TensorRT); building it"
                        + " again", cached.file());
                EngineBuilder.discard(cached, engineDir);
                cached = EngineBuilder.ensure(model, engineDir, maxBatch);
                engine = deserialize(runtime, cached.file());
            }
            if (engine == null) {
                throw new IOException("TensorRT cannot load the engine it built, " + cached.file()
                        + "; the TensorRT errors logged above say why");
            }
            return new TensorRtDetector(model, family, runtime, engine, cached.file(), Math.max(1, maxContexts));
        } catch (IOException | RuntimeException e) {
            delete(engine);
            delete(runtime);
            throw e;
        }
    }

    private static ICudaEngine deserialize(IRuntime runtime, Path file) throws IOException {
        try (BytePointer plan = new BytePointer(Files.readAllBytes(file))) {
            return runtime.deserializeCudaEngine(plan, plan.capacity());
        }
    }

    private static List<TensorRtSlot.Io> ioTensors(ICudaEngine engine) {
        List<TensorRtSlot.Io> found = new ArrayList<>();
        for (int i = 0; i < engine.getNbIOTensors(); i++) {
            String name = engine.getIOTensorName(i);
            boolean input = engine.getTensorIOMode(name).value == TensorIOMode.kINPUT.value;
            long[] shape;
            try (Dims64 dims = engine.getTensorShape(name)) {
                shape = shape(dims);
            }
            boolean dynamicBatch = shape.length > 0 && shape[0] < 0;
            if (input && Arrays.stream(shape).anyMatch(d -> d < 0)) {
                try (Dims64 dims = engine.getProfileShape(name, 0, OptProfileSelector.kMAX)) {
                    shape = shape(dims);
                }
            }
            found.add(new TensorRtSlot.Io(name, input, engine.getTensorDataType(name).value, shape, dynamicBatch));
        }
        return List.copyOf(found);
    }

    /** The largest batch every input takes; a fixed batch above one cannot serve fewer frames, so it is refused. */
    private static int engineBatch(List<TensorRtSlot.Io> tensors, ModelDescriptor model) {
        int batch = Integer.MAX_VALUE;
        boolean dynamic = false;
        for (TensorRtSlot.Io io : tensors) {
            if (io.input() && io.maxShape().length > 0) {
                batch = (int) Math.min(batch, io.maxShape()[0]);
                dynamic |= io.dynamicBatch();
            }
        }
        if (batch == Integer.MAX_VALUE || batch < 1) {
            throw new IllegalStateException("the engine for model " + model.name() + " has no batched input");
        }
        if (!dynamic && batch > 1) {
            throw new IllegalStateException("model " + model.name() + " has a fixed batch of " + batch
                    + "; export the ONNX with a dynamic batch dimension, or with batch 1");
        }
        return batch;
    }

    @Override
    public void prepare(List<Frame> frames) {
        family.prepare(frames);
    }

    @Override
    public String describe() {
        return "tensorrt on " + gpuName + ", model " + model.name() + " (FP16 engine " + engineFile + ", batch <= "
                + maxBatch + ")";
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    /** The engine file this detector runs (in the engine cache). */
    public Path engineFile() {
        return engineFile;
    }

    @Override
    public List<List<DetectedObject>> detect(List<Frame> frames) throws InterruptedException {
        if (frames.size() <= maxBatch) {
            return run(frames);
        }
        List<List<DetectedObject>> all = new ArrayList<>(frames.size());
        for (int from = 0; from < frames.size(); from += maxBatch) {
            all.addAll(run(frames.subList(from, Math.min(frames.size(), from + maxBatch))));
        }
        return all;
    }

    private List<List<DetectedObject>> run(List<Frame> frames) throws InterruptedException {
        if (frames.isEmpty()) {
            return List.of();
        }
        // Decoding and resizing happen before a context is taken, so other threads keep the GPU busy meanwhile.
        List<TensorData> inputs = family.inputs(frames);
        TensorRtSlot slot = acquire();
        Map<String, TensorData> outputs;
        try {
            outputs = slot.run(inputs, family.outputNames());
        } finally {
            idle.add(slot);
        }
        return family.decode(outputs, frames);
    }

    private TensorRtSlot acquire() throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("the TensorRT detector for model " + model.name() + " is closed");
        }
        TensorRtSlot slot = idle.poll();
        if (slot != null) {
            return slot;
        }
        if (slots.size() < contextsAllowed.get()) {
            synchronized (slots) {
                if (slots.size() < contextsAllowed.get()) {
                    try {
                        return addSlot();
                    } catch (RuntimeException e) {
                        // Typically GPU memory: keep serving with the contexts that exist rather than failing calls.
                        contextsAllowed.set(slots.size());
                        LOG.warn("No further TensorRT context for model {} ({}); continuing with {}", model.name(),
                                e.getMessage(), slots.size());
                    }
                }
            }
        }
        // Polling rather than take(): a caller that arrived just before close() must not wait for ever.
        while ((slot = idle.poll(1, TimeUnit.SECONDS)) == null) {
            if (closed) {
                throw new IllegalStateException("the TensorRT detector for model " + model.name() + " is closed");
            }
        }
        return slot;
    }

    private TensorRtSlot addSlot() {
        TensorRtSlot slot = TensorRtSlot.create(engine, tensors, model.name());
        slots.add(slot);
        return slot;
    }

    /**
     * Waits up to 30 s for running inferences, then frees every context, buffer and stream, the engine and the
     * runtime. Memory still used by an inference that did not finish is left to process exit rather than freed
     * under it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<TensorRtSlot> returned = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
        try {
            while (returned.size() < slots.size() && System.nanoTime() < deadline) {
                TensorRtSlot slot = idle.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (slot != null) {
                    returned.add(slot);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        returned.forEach(TensorRtSlot::close);
        if (returned.size() < slots.size()) {
            LOG.warn("{} TensorRT inference(s) of model {} still running at close; their GPU memory stays allocated",
                    slots.size() - returned.size(), model.name());
            return;
        }
        delete(engine);
        delete(runtime);
    }

    @Override
    public String toString() {
        return describe() + " [contexts " + slots.size() + "/" + maxContexts + "]";
    }
}
