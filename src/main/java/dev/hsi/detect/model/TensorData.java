package dev.hsi.detect.model;

import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * A named tensor in host memory, independent of the runtime that will consume or produced it (ONNX Runtime,
 * TensorRT), so that pre-processing and output decoding are written once per model family.
 *
 * @param data a {@link FloatBuffer} or {@link LongBuffer} positioned at 0 and limited to the element count
 */
public record TensorData(String name, long[] shape, Buffer data) {

    /** A view of the data (a duplicate keeps a direct buffer direct, so runtimes can read it in place). */
    /** Integer outputs of either width are read as longs: int32 ones are widened here, once for all runtimes. */
    public static TensorData ofInts(String name, long[] shape, IntBuffer ints) {
        LongBuffer longs = LongBuffer.allocate(ints.remaining());
        while (ints.hasRemaining()) {
            longs.put(ints.get());
        }
        return new TensorData(name, shape, longs.flip());
    }

    public FloatBuffer floats() {
        return ((FloatBuffer) data).duplicate();
    }

    public LongBuffer longs() {
        return ((LongBuffer) data).duplicate();
    }

    public boolean isFloat() {
        return data instanceof FloatBuffer;
    }

    public long elementCount() {
        long count = 1;
        for (long dimension : shape) {
            count *= dimension;
        }
        return count;
    }
}
