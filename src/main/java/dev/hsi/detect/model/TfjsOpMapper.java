package dev.hsi.detect.model;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.hsi.detect.model.OnnxGraph.attr;

/**
 * Maps TF.js graph-model ops onto ONNX opset 13 nodes, one TF node at a time, in topological order.
 * TF tensors keep their TF names in the ONNX graph (except the renamed graph input and output), so
 * a TF input reference resolves directly to an ONNX tensor name. The spatial ops, which need the
 * NHWC to NCHW layout change, live in {@link SpatialOps}.
 */
final class TfjsOpMapper {

    private final OnnxGraph graph;
    private final Map<String, ConstTensor> constants;
    private final Map<String, String> renamed;
    private final SpatialOps spatial;

    /** {@code renamed} maps TF tensor names to the ONNX names they must get (graph input and output). */
    TfjsOpMapper(OnnxGraph graph, Map<String, ConstTensor> constants, Map<String, String> renamed) {
        this.graph = graph;
        this.constants = constants;
        this.renamed = renamed;
        this.spatial = new SpatialOps(this, graph);
    }

    void map(TfNode n) {
        switch (n.op()) {
            // Constants become initializers when an op reads them as tensors; the placeholder is the graph input.
            case "Const", "Placeholder" -> { }
            case "_FusedConv2D", "Conv2D", "FusedDepthwiseConv2dNative", "DepthwiseConv2dNative" -> spatial.conv(n);
            case "MaxPool" -> spatial.maxPool(n);
            case "ResizeBilinear" -> spatial.resizeBilinear(n);
            case "Add", "AddV2" -> same(n, "Add");
            case "Sub", "Mul", "Relu", "Sigmoid", "Identity", "Equal" -> same(n, n.op());
            case "RealDiv" -> same(n, "Div");
            case "Relu6" -> relu6(n.name(), ref(n.input(0)), out(n));
            case "Mean" -> graph.node("ReduceMean", n.name(), List.of(ref(n.input(0))), out(n),
                    attr("axes", constant(n, 1).asLongs("Mean axes")),
                    attr("keepdims", n.bool("keep_dims", false) ? 1L : 0L));
            case "Cast" -> graph.node("Cast", n.name(), List.of(ref(n.input(0))), out(n),
                    attr("to", (long) onnxType(n, n.type("DstT", "?"))));
            case "Reshape" -> graph.node("Reshape", n.name(), List.of(ref(n.input(0)), int64Input(n, 1)), out(n));
            case "ExpandDims" -> graph.node("Unsqueeze", n.name(),
                    List.of(ref(n.input(0)), graph.int64s(n.name() + "#axes", constant(n, 1).scalar("ExpandDims dim"))),
                    out(n));
            case "ConcatV2" -> concat(n);
            case "GatherV2" -> gather(n);
            case "TopKV2" -> topK(n);
            case "FloorDiv" -> floorDiv(n);
            case "FloorMod" -> floorMod(n);
            case "StridedSlice" -> StridedSliceMapping.emit(n, this, graph);
            default -> throw new IllegalArgumentException(
                    "unsupported op " + n.op() + " at node '" + n.name() + "'");
        }
    }

    /** ONNX tensor name for a TF input reference; a constant becomes an initializer on first use. */
    String ref(String tfRef) {
        String name = tfRef.endsWith(":0") ? tfRef.substring(0, tfRef.length() - 2) : tfRef;
        ConstTensor c = constants.get(name);
        if (c != null) {
            return c.isFloat() ? graph.initializer(name, c.shape(), c.floats())
                    : graph.initializer(name, c.shape(), c.ints());
        }
        return renamed.getOrDefault(name, name);
    }

    /** ONNX name of the first output of a TF node. */
    String out(TfNode n) {
        return renamed.getOrDefault(n.name(), n.name());
    }

    /** The value of an input that TF feeds as a tensor but ONNX needs at conversion time. */
    ConstTensor constant(TfNode n, int input) {
        ConstTensor c = constants.get(TfNode.producer(n.input(input)));
        if (c == null) {
            throw n.fail("input " + input + " ('" + n.input(input) + "') must be a constant");
        }
        return c;
    }

    /** Clip(0, 6): ONNX has no Relu6, and Clip takes its bounds as inputs since opset 11. */
    String relu6(String name, String x, String output) {
        return graph.node("Clip", name, List.of(x, graph.floatScalar("#zero", 0f), graph.floatScalar("#six", 6f)), output);
    }

    static int onnxType(TfNode n, String tfType) {
        return switch (tfType) {
            case "DT_FLOAT" -> DataType.FLOAT_VALUE;
            case "DT_INT32" -> DataType.INT32_VALUE;
            case "DT_INT64" -> DataType.INT64_VALUE;
            case "DT_BOOL" -> DataType.BOOL_VALUE;
            default -> throw n.fail("unsupported data type " + tfType);
        };
    }

    /** TF shape-like inputs are int32, ONNX wants int64: fold constants, cast anything else. */
    private String int64Input(TfNode n, int input) {
        ConstTensor c = constants.get(TfNode.producer(n.input(input)));
        if (c != null) {
            return graph.initializer(n.name() + "#i64", c.shape(), c.asLongs(n.op() + " input " + input));
        }
        return graph.node("Cast", n.name() + "/to_int64", List.of(ref(n.input(input))), n.name() + "#i64",
                attr("to", (long) DataType.INT64_VALUE));
    }

    private void same(TfNode n, String onnxOp) {
        List<String> inputs = new ArrayList<>();
        for (String in : n.inputs()) {
            inputs.add(ref(in));
        }
        graph.node(onnxOp, n.name(), inputs, out(n));
    }

    private void concat(TfNode n) {
        int last = n.inputs().size() - 1;
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < last; i++) {
            inputs.add(ref(n.input(i)));
        }
        graph.node("Concat", n.name(), inputs, out(n), attr("axis", constant(n, last).scalar("ConcatV2 axis")));
    }

    private void gather(TfNode n) {
        if (n.integer("batch_dims", 0) != 0) {
            throw n.fail("batch_dims other than 0 is not supported");
        }
        graph.node("Gather", n.name(), List.of(ref(n.input(0)), ref(n.input(1))), out(n),
                attr("axis", constant(n, 2).scalar("GatherV2 axis")));
    }

    /** TF returns int32 indices where ONNX returns int64; cast back so the int32 index arithmetic stays typed. */
    private void topK(TfNode n) {
        String k = graph.int64s(n.name() + "#k", constant(n, 1).scalar("TopKV2 k"));
        boolean int64Indices = "DT_INT64".equals(n.type("index_type", "DT_INT32"));
        String indices = n.name() + ":1";
        String onnxIndices = int64Indices ? indices : n.name() + "#indices_i64";
        graph.node("TopK", n.name(), List.of(ref(n.input(0)), k), List.of(out(n), onnxIndices),
                attr("axis", -1L), attr("largest", 1L), attr("sorted", n.bool("sorted", true) ? 1L : 0L));
        if (!int64Indices) {
            graph.node("Cast", n.name() + "/indices_to_int32", List.of(onnxIndices), indices,
                    attr("to", (long) DataType.INT32_VALUE));
        }
    }

    /**
     * ONNX integer Div truncates toward zero while TF FloorDiv floors; a - floormod(a, b) is an exact
     * multiple of b, so dividing it gives the floored quotient for negative operands too.
     */
    private void floorDiv(TfNode n) {
        String a = ref(n.input(0));
        String b = ref(n.input(1));
        if ("DT_FLOAT".equals(n.type("T", "DT_FLOAT"))) {
            String q = graph.node("Div", n.name() + "/div", List.of(a, b), n.name() + "#div");
            graph.node("Floor", n.name(), List.of(q), out(n));
            return;
        }
        String mod = graph.node("Mod", n.name() + "/mod", List.of(a, b), n.name() + "#mod", attr("fmod", 0L));
        String exact = graph.node("Sub", n.name() + "/sub", List.of(a, mod), n.name() + "#exact");
        graph.node("Div", n.name(), List.of(exact, b), out(n));
    }

    /** ONNX Mod with fmod=0 takes the divisor's sign, like TF FloorMod, but is defined for integers only. */
    private void floorMod(TfNode n) {
        if ("DT_FLOAT".equals(n.type("T", "DT_FLOAT"))) {
            throw n.fail("FloorMod on float tensors is not supported");
        }
        graph.node("Mod", n.name(), List.of(ref(n.input(0)), ref(n.input(1))), out(n), attr("fmod", 0L));
    }
}
