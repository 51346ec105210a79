package dev.hsi.detect.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Small hand-written TF.js graphs, converted and run, for the mappings CenterNet alone does not pin down. */
class TfjsGraphConverterTest {

    private static final String IN = "tower_0/images";
    private static final String OUT = TfjsGraphConverter.OUTPUT_NODE;

    private static OrtEnvironment env;

    @BeforeAll
    static void ort() {
        env = OrtEnvironments.get();
    }

    @Test
    void namesTheUnsupportedOpAndNode() {
        Graph g = new Graph().input(1, 2).node("block/erf", "Erf", null, IN).node(OUT, "Identity", null, "block/erf");
        assertThatThrownBy(() -> TfjsGraphConverter.toOnnx(g.json(), g.weights()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Erf").hasMessageContaining("block/erf");
    }

    @Test
    void floorDivAndFloorModRoundTowardMinusInfinity() throws Exception {
        JsonObject int32 = new JsonObject().put("T", type("DT_INT32"));
        Graph g = new Graph().input(1, 4)
                .node("ints", "Cast", new JsonObject().put("DstT", type("DT_INT32")), IN)
                .constInts("three", new long[0], 3)
                .node("div", "FloorDiv", int32, "ints", "three")
                .node("mod", "FloorMod", int32, "ints", "three")
                .constInts("axis", new long[0], -1)
                .node("both", "ConcatV2", null, "div", "mod", "axis")
                .node(OUT, "Cast", new JsonObject().put("DstT", type("DT_FLOAT")), "both");

        float[] out = run(g, new float[] {-7, -1, 0, 7}, 1, 4);

        assertThat(out).containsExactly(-3, -1, 0, 2, 2, 2, 0, 1);
    }

    @Test
    void stridedSliceHonoursMasksShrinkAndNegativeStrides() throws Exception {
        Graph g = new Graph().input(2, 3)
                .constInts("begin", new long[] {2}, 1, 0)
                .constInts("end", new long[] {2}, 0, 0)
                .constInts("strides", new long[] {2}, 1, -1)
                .node(OUT, "StridedSlice", new JsonObject().put("begin_mask", integer(2)).put("end_mask", integer(2))
                        .put("shrink_axis_mask", integer(1)), IN, "begin", "end", "strides");

        assertThat(run(g, new float[] {0, 1, 2, 3, 4, 5}, 2, 3)).containsExactly(5, 4, 3);
    }

    /** A channel multiplier of 2 and an even kernel with SAME padding check kernel layout and pad side. */
    @Test
    void depthwiseAndRegularConvolutionsMatchTensorFlowSemantics() throws Exception {
        int h = 3;
        int w = 3;
        int c = 2;
        float[] x = sequence(h * w * c, 0.5f);
        float[] depthwise = sequence(2 * 2 * c * 2, -0.3f);
        float[] kernel = sequence(2 * 2 * (c * 2) * 3, 0.1f);
        float[] bias = {0.5f, -0.4f, 1f};
        JsonObject convAttrs = new JsonObject().put("padding", string("SAME"))
                .put("strides", ints(1, 1, 1, 1)).put("dilations", ints(1, 1, 1, 1));
        Graph g = new Graph().input(1, h, w, c)
                .constFloats("dw", new long[] {2, 2, c, 2}, depthwise)
                .node("depthwise", "DepthwiseConv2dNative", convAttrs, IN, "dw")
                .constFloats("k", new long[] {2, 2, c * 2, 3}, kernel)
                .constFloats("bias", new long[] {3}, bias)
                .node(OUT, "_FusedConv2D", convAttrs.copy().put("num_args", integer(1))
                        .put("fused_ops", new JsonObject().put("list", new JsonObject()
                                .put("s", new JsonArray().add(b64("BiasAdd")).add(b64("Relu6"))))),
                        "depthwise", "k", "bias");

        float[] expected = conv(conv(x, h, w, c, depthwise, 2, true), h, w, c * 2, kernel, 3, false);
        for (int i = 0; i < expected.length; i++) {
            expected[i] = Math.min(6f, Math.max(0f, expected[i] + bias[i % 3]));
        }
        float[] out = run(g, x, 1, h, w, c);

        assertThat(out).hasSize(expected.length);
        for (int i = 0; i < out.length; i++) {
            assertThat(out[i]).as("element %d", i).isCloseTo(expected[i], within(1e-4f));
        }
    }

    /** Direct NHWC convolution, 2x2 kernel, stride 1, TF SAME padding (the extra row/column at the end). */
    private static float[] conv(float[] x, int h, int w, int c, float[] k, int m, boolean depthwise) {
        int outC = depthwise ? c * m : m;
        float[] y = new float[h * w * outC];
        for (int oy = 0; oy < h; oy++) {
            for (int ox = 0; ox < w; ox++) {
                for (int o = 0; o < outC; o++) {
                    float sum = 0;
                    for (int ky = 0; ky < 2; ky++) {
                        for (int kx = 0; kx < 2; kx++) {
                            int iy = oy + ky;
                            int ix = ox + kx;
                            if (iy >= h || ix >= w) {
                                continue;
                            }
                            if (depthwise) {
                                int in = o / m;
                                sum += x[(iy * w + ix) * c + in] * k[((ky * 2 + kx) * c + in) * m + o % m];
                            } else {
                                for (int in = 0; in < c; in++) {
                                    sum += x[(iy * w + ix) * c + in] * k[((ky * 2 + kx) * c + in) * m + o];
                                }
                            }
                        }
                    }
                    y[(oy * w + ox) * outC + o] = sum;
                }
            }
        }
        return y;
    }

    private static float[] run(Graph g, float[] input, long... shape) throws Exception {
        byte[] onnx = TfjsGraphConverter.toOnnx(g.json(), g.weights());
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
             OrtSession.Result result = session.run(Map.of(TfjsGraphConverter.INPUT_NAME, x))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[out.remaining()];
            out.get(values);
            return values;
        }
    }

    private static float[] sequence(int n, float step) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i % 7 - 3) * step;
        }
        return v;
    }

    private static JsonObject type(String t) {
        return new JsonObject().put("type", t);
    }

    private static JsonObject integer(long i) {
        return new JsonObject().put("i", Long.toString(i));
    }

    private static JsonObject string(String s) {
        return new JsonObject().put("s", b64(s));
    }

    private static JsonObject ints(long... values) {
        JsonArray list = new JsonArray();
        for (long v : values) {
            list.add(Long.toString(v));
        }
        return new JsonObject().put("list", new JsonObject().put("i", list));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Builds a TF.js graph-model JSON plus its weights file, in the converter's input format. */
    private static final class Graph {
        private final JsonArray nodes = new JsonArray();
        private final JsonArray manifest = new JsonArray();
        private final ByteArrayOutputStream bin = new ByteArrayOutputStream();

        Graph input(long... shape) {
            JsonArray dims = new JsonArray();
            for (long d : shape) {
                dims.add(new JsonObject().put("size", Long.toString(d)));
            }
            return node(IN, "Placeholder", new JsonObject().put("dtype", type("DT_FLOAT"))
                    .put("shape", new JsonObject().put("shape", new JsonObject().put("dim", dims))));
        }

        Graph node(String name, String op, JsonObject attrs, String... inputs) {
            JsonObject n = new JsonObject().put("name", name).put("op", op).put("input", new JsonArray(java.util.List.of(inputs)));
            nodes.add(attrs == null ? n : n.put("attr", attrs));
            return this;
        }

        Graph constFloats(String name, long[] shape, float... values) {
            ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            return constant(name, shape, "float32", b.array());
        }

        Graph constInts(String name, long[] shape, int... values) {
            ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(values);
            return constant(name, shape, "int32", b.array());
        }

        private Graph constant(String name, long[] shape, String dtype, byte[] data) {
            JsonArray dims = new JsonArray();
            for (long d : shape) {
                dims.add(d);
            }
            manifest.add(new JsonObject().put("name", name).put("shape", dims).put("dtype", dtype));
            bin.writeBytes(data);
            return node(name, "Const", null);
        }

        String json() {
            return new JsonObject().put("format", "graph-model")
                    .put("modelTopology", new JsonObject().put("node", nodes))
                    .put("weightsManifest", new JsonArray().add(new JsonObject()
                            .put("paths", new JsonArray().add("weights.bin")).put("weights", manifest)))
                    .encode();
        }

        byte[] weights() {
            return bin.toByteArray();
        }
    }
}
