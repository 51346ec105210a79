package dev.hsi.detect.model;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Thin builder over the ONNX protobuf classes: nodes, initializers, inputs and outputs of one graph. */
final class OnnxGraph {

    static final int OPSET = 13;
    /** IR version 8 goes with opset 13..16 and is read by every ONNX Runtime since 1.10. */
    static final long IR_VERSION = 8;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> initializers = new HashSet<>();

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** Adds a node with one output and returns that output's name. */
    String node(String op, String name, List<String> inputs, String output, AttributeProto... attributes) {
        node(op, name, inputs, List.of(output), attributes);
        return output;
    }

    void node(String op, String name, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        graph.addNode(NodeProto.newBuilder().setOpType(op).setName(name)
                .addAllInput(inputs).addAllOutput(outputs).addAllAttribute(Arrays.asList(attributes)));
    }

    /** Adds the initializer once; later calls with the same name reuse it. */
    String initializer(String name, long[] shape, float[] values) {
        return initializer(name, TensorProto.DataType.FLOAT_VALUE, shape, 4 * values.length,
                raw -> raw.asFloatBuffer().put(values));
    }

    String initializer(String name, long[] shape, int[] values) {
        return initializer(name, TensorProto.DataType.INT32_VALUE, shape, 4 * values.length,
                raw -> raw.asIntBuffer().put(values));
    }

    String initializer(String name, long[] shape, long[] values) {
        return initializer(name, TensorProto.DataType.INT64_VALUE, shape, 8 * values.length,
                raw -> raw.asLongBuffer().put(values));
    }

    /** Adds the constant once (names are unique per graph); little-endian raw data as ONNX requires. */
    private String initializer(String name, int dataType, long[] shape, int bytes, Consumer<ByteBuffer> fill) {
        if (initializers.add(name)) {
            ByteBuffer raw = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
            fill.accept(raw);
            add(name, dataType, shape, raw);
        }
        return name;
    }

    /** A 1-D int64 constant, the form ONNX wants for shapes, axes, starts/ends and sizes. */
    String int64s(String name, long... values) {
        return initializer(name, new long[] {values.length}, values);
    }

    String floatScalar(String name, float value) {
        return initializer(name, new long[0], new float[] {value});
    }

    void input(String name, int elemType, long[] shape) {
        graph.addInput(valueInfo(name, elemType, shape));
    }

    /** A null shape leaves the dimensions to the runtime's inference; a negative dimension is symbolic. */
    void output(String name, int elemType, long[] shape) {
        graph.addOutput(valueInfo(name, elemType, shape));
    }

    byte[] toModelBytes(String producer, String doc) {
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(producer)
                .setDocString(doc)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build();
    }

    static AttributeProto attr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto attr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    static AttributeProto attr(String name, long[] values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    private void add(String name, int dataType, long[] shape, ByteBuffer raw) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(dataType)
                .setRawData(ByteString.copyFrom(raw.array()));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
    }

    private static ValueInfoProto valueInfo(String name, int elemType, long[] shape) {
        TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder().setElemType(elemType);
        if (shape != null) {
            TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
            for (int i = 0; i < shape.length; i++) {
                TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
                dims.addDim(shape[i] < 0 ? dim.setDimParam("d" + i) : dim.setDimValue(shape[i]));
            }
            tensor.setShape(dims);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }
}
