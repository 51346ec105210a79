package dev.hsi.detect.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes the {@code weightsManifest} of a TF.js graph model: the entries are stored back to back,
 * little-endian, in manifest order, across all groups (their shard files concatenated).
 */
final class TfjsWeights {

    private TfjsWeights() {
    }

    /** Returns every weight by name; {@code weights} is the concatenation of all shard files in manifest order. */
    static Map<String, ConstTensor> decode(JsonArray manifest, byte[] weights) {
        ByteBuffer buf = ByteBuffer.wrap(weights).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, ConstTensor> out = new HashMap<>();
        for (int g = 0; g < manifest.size(); g++) {
            JsonArray entries = manifest.getJsonObject(g).getJsonArray("weights");
            for (int e = 0; e < entries.size(); e++) {
                JsonObject entry = entries.getJsonObject(e);
                String name = entry.getString("name");
                try {
                    out.put(name, read(entry, buf));
                } catch (BufferUnderflowException ex) {
                    throw new IllegalArgumentException("weights file too short: it ends inside '" + name + "'", ex);
                }
            }
        }
        if (buf.hasRemaining()) {
            throw new IllegalArgumentException(
                    "weights file has " + buf.remaining() + " bytes more than the manifest describes");
        }
        return out;
    }

    private static ConstTensor read(JsonObject entry, ByteBuffer buf) {
        String name = entry.getString("name");
        JsonArray dims = entry.getJsonArray("shape");
        long[] shape = new long[dims.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.getLong(i);
            count *= shape[i];
        }
        int n = Math.toIntExact(count);
        String dtype = entry.getString("dtype");
        JsonObject quantization = entry.getJsonObject("quantization");
        if (quantization != null) {
            // float16 is the only quantization the CenterNet export uses; the affine uint8/uint16
            // schemes would need scale/min handling that nothing here could be tested against.
            String stored = quantization.getString("dtype");
            if (!"float16".equals(stored) || !"float32".equals(dtype)) {
                throw new IllegalArgumentException("weight '" + name + "': unsupported quantization "
                        + stored + " of " + dtype);
            }
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = halfToFloat(buf.getShort());
            }
            return ConstTensor.ofFloats(shape, values);
        }
        switch (dtype) {
            case "float32": {
                float[] values = new float[n];
                buf.asFloatBuffer().get(values);
                buf.position(buf.position() + 4 * n);
                return ConstTensor.ofFloats(shape, values);
            }
            case "int32": {
                int[] values = new int[n];
                buf.asIntBuffer().get(values);
                buf.position(buf.position() + 4 * n);
                return ConstTensor.ofInts(shape, values);
            }
            default:
                throw new IllegalArgumentException("weight '" + name + "': unsupported dtype " + dtype);
        }
    }

    /**
     * Widens an IEEE 754 binary16 value to float32 exactly (Java 17 has no Float.float16ToFloat).
     * Every half value, subnormals included, is representable as a float, so no rounding happens.
     */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in float32.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // Rebias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
