package dev.hsi.detect.model;

import java.util.Arrays;

/**
 * A constant of the TF.js graph, already widened to what TF.js computes with: float32 or int32.
 * Exactly one of {@code floats} and {@code ints} is non-null.
 */
record ConstTensor(long[] shape, float[] floats, int[] ints) {

    static ConstTensor ofFloats(long[] shape, float[] values) {
        return new ConstTensor(shape, values, null);
    }

    static ConstTensor ofInts(long[] shape, int[] values) {
        return new ConstTensor(shape, null, values);
    }

    boolean isFloat() {
        return floats != null;
    }

    int size() {
        return isFloat() ? floats.length : ints.length;
    }

    /** Integer values widened to long, for ONNX inputs and attributes that must be int64. */
    long[] asLongs(String what) {
        if (isFloat()) {
            throw new IllegalArgumentException(what + " must be an integer constant, got float32");
        }
        return Arrays.stream(ints).asLongStream().toArray();
    }

    /** The single value of a scalar or one-element integer constant (an axis, a k). */
    long scalar(String what) {
        long[] values = asLongs(what);
        if (values.length != 1) {
            throw new IllegalArgumentException(what + " must hold one value, got " + values.length);
        }
        return values[0];
    }
}
