package dev.hsi.detect.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.hsi.detect.model.OnnxGraph.attr;

/**
 * The TF ops that work on NHWC images (convolutions, max pooling, bilinear resize). ONNX defines
 * them on NCHW, so each is wrapped in a Transpose pair; the rest of the graph stays NHWC exactly as
 * in TF, which keeps axis constants (Mean, ConcatV2, Reshape) valid unchanged. Back-to-back
 * spatial ops reuse the NCHW tensor instead of transposing twice, and ONNX Runtime's transpose
 * optimizer removes most of the remaining pairs when it loads the model.
 */
final class SpatialOps {

    private static final long[] TO_NCHW = {0, 3, 1, 2};
    private static final long[] TO_NHWC = {0, 2, 3, 1};

    private final TfjsOpMapper mapper;
    private final OnnxGraph graph;
    /** NHWC tensor name -> the NCHW tensor holding the same data. */
    private final Map<String, String> nchwOf = new HashMap<>();

    SpatialOps(TfjsOpMapper mapper, OnnxGraph graph) {
        this.mapper = mapper;
        this.graph = graph;
    }

    /**
     * Conv2D and DepthwiseConv2dNative, plain or fused by the TF.js converter with a bias and an
     * activation. TF kernels are HWIO (depthwise: H, W, C, multiplier); ONNX wants OIHW, and a
     * depthwise conv is a grouped conv with one group per input channel.
     */
    void conv(TfNode n) {
        requireNhwc(n);
        boolean depthwise = n.op().contains("Depthwise");
        ConstTensor kernel = mapper.constant(n, 1);
        long[] s = kernel.shape();
        if (s.length != 4 || !kernel.isFloat()) {
            throw n.fail("expected a 4-D float kernel");
        }
        int kh = (int) s[0];
        int kw = (int) s[1];
        int in = (int) s[2];
        int last = (int) s[3];
        int out = depthwise ? in * last : last;
        int inPerGroup = depthwise ? 1 : in;
        float[] src = kernel.floats();
        float[] oihw = new float[src.length];
        for (int h = 0; h < kh; h++) {
            for (int w = 0; w < kw; w++) {
                for (int i = 0; i < in; i++) {
                    for (int j = 0; j < last; j++) {
                        // Depthwise output channel i * multiplier + j reads input channel i only.
                        int o = depthwise ? i * last + j : j;
                        int oi = depthwise ? 0 : i;
                        oihw[((o * inPerGroup + oi) * kh + h) * kw + w] = src[((h * kw + w) * in + i) * last + j];
                    }
                }
            }
        }
        List<String> inputs = new ArrayList<>(List.of(toNchw(mapper.ref(n.input(0))),
                graph.initializer(n.name() + "#kernel_oihw", new long[] {out, inPerGroup, kh, kw}, oihw)));
        String activation = fusedActivation(n, inputs);

        String y = graph.node("Conv", n.name(), inputs, n.name() + "#conv_nchw",
                attr("kernel_shape", new long[] {kh, kw}),
                attr("strides", spatial(n, "strides")),
                attr("dilations", spatial(n, "dilations")),
                attr("group", depthwise ? (long) in : 1L),
                attr("auto_pad", autoPad(n)));
        if ("Relu".equals(activation)) {
            y = graph.node("Relu", n.name() + "/Relu", List.of(y), n.name() + "#relu_nchw");
        } else if ("Relu6".equals(activation)) {
            y = mapper.relu6(n.name() + "/Relu6", y, n.name() + "#relu6_nchw");
        }
        toNhwc(n, y);
    }

    void maxPool(TfNode n) {
        requireNhwc(n);
        String y = graph.node("MaxPool", n.name(), List.of(toNchw(mapper.ref(n.input(0)))), n.name() + "#nchw",
                attr("kernel_shape", spatial(n, "ksize")),
                attr("strides", spatial(n, "strides")),
                attr("auto_pad", autoPad(n)));
        toNhwc(n, y);
    }

    /**
     * TF's legacy bilinear resize (align_corners=false, half_pixel_centers=false) maps output pixel x
     * to source x * in/out, which is ONNX's "asymmetric" transform. ONNX Resize needs all four output
     * dimensions, so batch and channels are taken from the input's shape at run time.
     */
    void resizeBilinear(TfNode n) {
        String mode;
        if (n.bool("align_corners", false)) {
            mode = "align_corners";
        } else if (n.bool("half_pixel_centers", false)) {
            mode = "half_pixel";
        } else {
            mode = "asymmetric";
        }
        long[] size = mapper.constant(n, 1).asLongs("ResizeBilinear size");
        String name = n.name();
        String x = toNchw(mapper.ref(n.input(0)));
        String shape = graph.node("Shape", name + "/shape", List.of(x), name + "#shape");
        String batchChannels = graph.node("Slice", name + "/batch_channels",
                List.of(shape, graph.int64s("#slice_from_0", 0), graph.int64s("#slice_to_2", 2)), name + "#nc");
        String sizes = graph.node("Concat", name + "/sizes",
                List.of(batchChannels, graph.int64s(name + "#hw", size)), name + "#sizes", attr("axis", 0L));
        // Empty names skip the optional roi and scales inputs.
        String y = graph.node("Resize", name, List.of(x, "", "", sizes), name + "#nchw",
                attr("mode", "linear"), attr("coordinate_transformation_mode", mode));
        toNhwc(n, y);
    }

    /** Adds the bias input for a fused op and returns the activation fused after it (or null). */
    private String fusedActivation(TfNode n, List<String> inputs) {
        List<String> fused = n.strings("fused_ops");
        if (fused.isEmpty()) {
            if (n.inputs().size() != 2) {
                throw n.fail("unfused convolution with " + n.inputs().size() + " inputs");
            }
            return null;
        }
        // BiasAdd with one extra argument is the only fusion this export uses; FusedBatchNorm (4 args)
        // and PRelu/LeakyRelu carry extra parameters that would need their own mapping.
        if (!"BiasAdd".equals(fused.get(0)) || n.integer("num_args", 1) != 1 || fused.size() > 2
                || fused.size() == 2 && !List.of("Relu", "Relu6").contains(fused.get(1))) {
            throw n.fail("unsupported fused ops " + fused + " (num_args " + n.integer("num_args", 0) + ")");
        }
        inputs.add(mapper.ref(n.input(2)));
        return fused.size() == 2 ? fused.get(1) : null;
    }

    private String toNchw(String nhwc) {
        return nchwOf.computeIfAbsent(nhwc, t -> graph.node("Transpose", t + "/to_nchw", List.of(t), t + "#nchw_in",
                attr("perm", TO_NCHW)));
    }

    private void toNhwc(TfNode n, String nchw) {
        String nhwc = graph.node("Transpose", n.name() + "/to_nhwc", List.of(nchw), mapper.out(n), attr("perm", TO_NHWC));
        nchwOf.put(nhwc, nchw);
    }

    /** The height and width entries of an NHWC window attribute; batch and channel must be 1. */
    private static long[] spatial(TfNode n, String attr) {
        long[] v = n.has(attr) ? n.integers(attr) : new long[] {1, 1, 1, 1};
        if (v.length != 4 || v[0] != 1 || v[3] != 1) {
            throw n.fail(attr + " must be [1, h, w, 1], got " + Arrays.toString(v));
        }
        return new long[] {v[1], v[2]};
    }

    private static String autoPad(TfNode n) {
        String padding = n.string("padding", "");
        return switch (padding) {
            // TF puts the odd padding pixel at the end (bottom/right), as SAME_UPPER does.
            case "SAME" -> "SAME_UPPER";
            case "VALID" -> "VALID";
            default -> throw n.fail("unsupported padding '" + padding + "'");
        };
    }

    private static void requireNhwc(TfNode n) {
        String format = n.string("data_format", "NHWC");
        if (!"NHWC".equals(format)) {
            throw n.fail("unsupported data_format " + format);
        }
    }
}
