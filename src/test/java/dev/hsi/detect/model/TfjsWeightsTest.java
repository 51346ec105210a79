package dev.hsi.detect.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TfjsWeightsTest {

    @Test
    void widensHalfFloatsExactly() {
        assertThat(TfjsWeights.halfToFloat((short) 0x3c00)).isEqualTo(1.0f);
        assertThat(TfjsWeights.halfToFloat((short) 0xc000)).isEqualTo(-2.0f);
        assertThat(TfjsWeights.halfToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(TfjsWeights.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(TfjsWeights.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(TfjsWeights.halfToFloat((short) 0x03ff)).isEqualTo(1023 * 0x1p-24f);
        assertThat(Float.floatToIntBits(TfjsWeights.halfToFloat((short) 0x8000))).isEqualTo(Float.floatToIntBits(-0.0f));
        assertThat(TfjsWeights.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(TfjsWeights.halfToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(TfjsWeights.halfToFloat((short) 0x7e00)).isNaN();
    }

    @Test
    void widensEveryFiniteHalfToItsValue() {
        for (int bits = 0; bits < 0x10000; bits++) {
            int exponent = (bits >>> 10) & 0x1f;
            if (exponent == 0x1f) {
                continue;
            }
            int mantissa = bits & 0x3ff;
            // binary16: subnormals are m * 2^-24, normals (1024 + m) * 2^(e - 25).
            double magnitude = exponent == 0 ? Math.scalb((double) mantissa, -24)
                    : Math.scalb((double) (1024 + mantissa), exponent - 25);
            double expected = (bits & 0x8000) != 0 ? -magnitude : magnitude;
            assertThat((double) TfjsWeights.halfToFloat((short) bits)).as("0x%04x", bits).isEqualTo(expected);
        }
    }

    @Test
    void decodesEntriesInManifestOrder() {
        ByteBuffer bin = ByteBuffer.allocate(4 * 2 + 2 * 3 + 4 * 2).order(ByteOrder.LITTLE_ENDIAN);
        bin.putFloat(1.5f).putFloat(-0.25f);
        bin.putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x3800);
        bin.putInt(7).putInt(-1);
        JsonArray manifest = new JsonArray().add(new JsonObject().put("paths", new JsonArray().add("w.bin"))
                .put("weights", new JsonArray()
                        .add(entry("f32", "float32", 2))
                        .add(entry("f16", "float32", 1, 3).put("quantization",
                                new JsonObject().put("dtype", "float16").put("original_dtype", "float32")))
                        .add(entry("i32", "int32"))
                        .add(entry("i32b", "int32"))));

        Map<String, ConstTensor> w = TfjsWeights.decode(manifest, bin.array());

        assertThat(w.get("f32").floats()).containsExactly(1.5f, -0.25f);
        assertThat(w.get("f16").floats()).containsExactly(1f, -2f, 0.5f);
        assertThat(w.get("f16").shape()).containsExactly(1, 3);
        assertThat(w.get("i32").ints()).containsExactly(7);
        assertThat(w.get("i32").shape()).isEmpty();
        assertThat(w.get("i32b").scalar("test")).isEqualTo(-1);
    }

    @Test
    void rejectsAWeightsFileOfTheWrongLength() {
        JsonArray manifest = new JsonArray().add(new JsonObject()
                .put("weights", new JsonArray().add(entry("f32", "float32", 2))));
        assertThatThrownBy(() -> TfjsWeights.decode(manifest, new byte[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("f32");
        assertThatThrownBy(() -> TfjsWeights.decode(manifest, new byte[12]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 bytes more");
    }

    private static JsonObject entry(String name, String dtype, long... shape) {
        JsonArray dims = new JsonArray();
        for (long d : shape) {
            dims.add(d);
        }
        return new JsonObject().put("name", name).put("dtype", dtype).put("shape", dims);
    }
}
