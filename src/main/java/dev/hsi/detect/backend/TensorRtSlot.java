package dev.hsi.detect.backend;

import static dev.hsi.detect.backend.TensorRtSupport.cuda;
import static dev.hsi.detect.backend.TensorRtSupport.dims;
import static dev.hsi.detect.backend.TensorRtSupport.elementSize;
import static dev.hsi.detect.backend.TensorRtSupport.elements;
import static dev.hsi.detect.backend.TensorRtSupport.shape;
import static dev.hsi.detect.backend.TensorRtSupport.typeName;

import dev.hsi.detect.model.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.global.nvinfer.DataType;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;

/**
 * What one inference at a time needs on the GPU: an execution context (TensorRT contexts are not thread-safe), a
 * CUDA stream, and for every engine input and output a pinned host buffer and a device buffer sized for the largest
 * batch. Allocated once and reused for every call, because pinned and device allocations are slow and synchronise
 * the whole device. Used by one thread at a time: the detector hands slots out through a queue.
 */
final class TensorRtSlot implements AutoCloseable {

    /**
     * An engine input or output as this backend moves it.
     *
     * @param maxShape for an input, its largest shape (no dynamic dimension left); for an output, as the engine
     *     declares it
     * @param dynamicBatch whether the engine declares the first dimension dynamic
     */
    record Io(String name, boolean input, int dataType, long[] maxShape, boolean dynamicBatch) {
    }

    private static final class Buffers {
        final Io io;
        final long capacityBytes;
        final Pointer host = new Pointer();
        final Pointer device = new Pointer();
        ByteBuffer hostView;

        Buffers(Io io, long capacityBytes) {
            this.io = io;
            this.capacityBytes = capacityBytes;
        }

        ByteBuffer hostBytes() {
            return hostView.duplicate().order(ByteOrder.nativeOrder()).clear();
        }
    }

    private final String modelName;
    private final IExecutionContext context;
    private final CUstream_st stream = new CUstream_st();
    private final Map<String, Buffers> buffers = new LinkedHashMap<>();
    private boolean streamCreated;

    private TensorRtSlot(String modelName, IExecutionContext context) {
        this.modelName = modelName;
        this.context = context;
    }

    /** A context with its stream and buffers; everything allocated so far is freed again when a step fails. */
    static TensorRtSlot create(ICudaEngine engine, List<Io> tensors, String modelName) {
        IExecutionContext context = engine.createExecutionContext();
        if (context == null) {
            throw new IllegalStateException("TensorRT could not create an execution context for model " + modelName
                    + " (out of GPU memory?)");
        }
        TensorRtSlot slot = new TensorRtSlot(modelName, context);
        try {
            cuda(cudart.cudaStreamCreateWithFlags(slot.stream, cudart.cudaStreamNonBlocking), "stream creation");
            slot.streamCreated = true;
            // With every input at its largest shape, the output shapes TensorRT infers are the largest too.
            for (Io io : tensors) {
                if (io.input()) {
                    slot.setShape(io.name(), io.maxShape());
                }
            }
            for (Io io : tensors) {
                long[] largest = slot.currentShape(io.name());
                if (Arrays.stream(largest).anyMatch(d -> d < 0)) {
                    throw new IllegalStateException("model " + modelName + " tensor '" + io.name()
                            + "' has a data-dependent shape " + Arrays.toString(largest) + ", which is not supported");
                }
                Buffers buffer = new Buffers(io, Math.max(1, elements(largest) * elementSize(io.dataType())));
                slot.buffers.put(io.name(), buffer);
                cuda(cudart.cudaMallocHost(buffer.host, buffer.capacityBytes), "pinned allocation for " + io.name());
                cuda(cudart.cudaMalloc(buffer.device, buffer.capacityBytes), "device allocation for " + io.name());
                buffer.hostView = TensorRtSupport.view(buffer.host, buffer.capacityBytes);
                if (!context.setTensorAddress(io.name(), buffer.device)) {
                    throw new IllegalStateException("TensorRT refused the buffer address of " + io.name());
                }
            }
            return slot;
        } catch (RuntimeException | Error e) {
            slot.close();
            throw e;
        }
    }

    /**
     * Copies the inputs in, runs the engine and copies the wanted outputs back, all queued on this slot's stream,
     * then waits for the stream. The returned tensors are copies on the Java heap: the pinned buffers are reused.
     */
    Map<String, TensorData> run(List<TensorData> inputs, List<String> outputNames) {
        boolean queued = false;
        try {
            for (TensorData input : inputs) {
                Buffers buffer = buffers(input.name(), true);
                long bytes = input.elementCount() * elementSize(buffer.io.dataType());
                if (bytes > buffer.capacityBytes) {
                    throw new IllegalStateException("input " + input.name() + " " + Arrays.toString(input.shape())
                            + " is larger than the engine's largest shape " + Arrays.toString(buffer.io.maxShape()));
                }
                setShape(input.name(), input.shape());
                fill(buffer, input);
                queued = true;
                cuda(cudart.cudaMemcpyAsync(buffer.device, buffer.host, bytes, cudart.cudaMemcpyHostToDevice, stream),
                        "copy of " + input.name() + " to the GPU");
            }
            if (!context.enqueueV3(stream)) {
                throw new IllegalStateException("TensorRT could not run model " + modelName
                        + " (enqueueV3 failed; the TensorRT errors logged above say why)");
            }
            Map<String, long[]> shapes = new HashMap<>();
            for (String name : outputNames) {
                Buffers buffer = buffers(name, false);
                long[] shape = currentShape(name);
                shapes.put(name, shape);
                long bytes = elements(shape) * elementSize(buffer.io.dataType());
                cuda(cudart.cudaMemcpyAsync(buffer.host, buffer.device, bytes, cudart.cudaMemcpyDeviceToHost, stream),
                        "copy of " + name + " from the GPU");
            }
            cuda(cudart.cudaStreamSynchronize(stream), "inference of model " + modelName);
            queued = false;
            Map<String, TensorData> outputs = new HashMap<>();
            for (String name : outputNames) {
                outputs.put(name, read(buffers.get(name), shapes.get(name)));
            }
            return outputs;
        } finally {
            if (queued) {
                // The next caller must not refill pinned buffers that a copy queued by this failed call still reads.
                cudart.cudaStreamSynchronize(stream);
            }
        }
    }

    private Buffers buffers(String name, boolean input) {
        Buffers buffer = buffers.get(name);
        if (buffer == null || buffer.io.input() != input) {
            throw new IllegalStateException("the engine for model " + modelName + " has no "
                    + (input ? "input" : "output") + " '" + name + "'; it has " + buffers.keySet());
        }
        return buffer;
    }

    private void setShape(String name, long[] shape) {
        try (Dims64 dims = dims(shape)) {
            if (!context.setInputShape(name, dims)) {
                throw new IllegalStateException("TensorRT refused shape " + Arrays.toString(shape) + " for input "
                        + name + " of model " + modelName);
            }
        }
    }

    private long[] currentShape(String name) {
        try (Dims64 dims = context.getTensorShape(name)) {
            return shape(dims);
        }
    }

    private static void fill(Buffers buffer, TensorData input) {
        ByteBuffer bytes = buffer.hostBytes();
        int type = buffer.io.dataType();
        if (input.isFloat() && type == DataType.kFLOAT.value) {
            bytes.asFloatBuffer().put(input.floats());
        } else if (!input.isFloat() && type == DataType.kINT64.value) {
            bytes.asLongBuffer().put(input.longs());
        } else if (!input.isFloat() && type == DataType.kINT32.value) {
            LongBuffer longs = input.longs();
            IntBuffer ints = bytes.asIntBuffer();
            while (longs.hasRemaining()) {
                ints.put(Math.toIntExact(longs.get()));
            }
        } else if (!input.isFloat() && type == DataType.kFLOAT.value) {
            LongBuffer longs = input.longs();
            FloatBuffer floats = bytes.asFloatBuffer();
            while (longs.hasRemaining()) {
                floats.put(longs.get());
            }
        } else {
            throw new IllegalStateException("input " + input.name() + " is " + typeName(type)
                    + " in the engine but the model family gives " + (input.isFloat() ? "float32" : "int64"));
        }
    }

    /** Float32 and int64 as they are; int32 (some exports' labels) widened to int64 as the decoders expect. */
    private static TensorData read(Buffers buffer, long[] shape) {
        int count = Math.toIntExact(elements(shape));
        ByteBuffer bytes = buffer.hostBytes();
        int type = buffer.io.dataType();
        if (type == DataType.kFLOAT.value) {
            FloatBuffer copy = FloatBuffer.allocate(count);
            copy.put(bytes.asFloatBuffer().limit(count));
            return new TensorData(buffer.io.name(), shape, copy.flip());
        }
        if (type != DataType.kINT64.value) {
            return TensorData.ofInts(buffer.io.name(), shape, bytes.asIntBuffer().limit(count));
        }
        LongBuffer copy = LongBuffer.allocate(count);
        copy.put(bytes.asLongBuffer().limit(count));
        return new TensorData(buffer.io.name(), shape, copy.flip());
    }

    /** Frees the buffers, the stream and the context. Call only when no {@link #run} is in progress. */
    @Override
    public void close() {
        for (Buffers buffer : buffers.values()) {
            if (!buffer.device.isNull()) {
                cudart.cudaFree(buffer.device);
            }
            if (!buffer.host.isNull()) {
                cudart.cudaFreeHost(buffer.host);
            }
        }
        buffers.clear();
        if (streamCreated) {
            cudart.cudaStreamDestroy(stream);
            streamCreated = false;
        }
        TensorRtSupport.delete(context);
    }
}
