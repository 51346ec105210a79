package dev.hsi.detect.model;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A tiny ONNX model with RT-DETRv2's exact signature that "detects" known objects, so the RT-DETR decoder and the
 * batching can be proven end to end through ONNX Runtime without the real weights (which cannot be fetched here).
 *
 * <p>For each image it returns the {@link #OBJECTS} with boxes scaled to that image's {@code orig_target_sizes}
 * and scores multiplied by the image's mean brightness (0..1): a white image gives the listed scores, a black one
 * zeros, so different images in one batch get different, predictable answers.
 */
public final class RtDetrTestModel {

    /** label (COCO-80 index), normalised x1, y1, x2, y2, score on a white image. */
    public static final float[][] OBJECTS = {
            {0, 0.10f, 0.20f, 0.30f, 0.90f, 0.90f},   // person
            {2, 0.50f, 0.50f, 0.90f, 0.80f, 0.80f},   // car
            {16, 0.35f, 0.60f, 0.45f, 0.80f, 0.60f},  // dog
            {7, 0.00f, 0.00f, 0.10f, 0.10f, 0.05f},   // truck, too weak to report
    };

    private RtDetrTestModel() {
    }

    /** Writes {@code rtdetr-test.onnx} and its descriptor into the folder; returns the model file. */
    public static Path write(Path folder, int maxBatch) throws IOException {
        Files.createDirectories(folder);
        Path model = folder.resolve("rtdetr-test.onnx");
        Files.write(model, build());
        Files.writeString(folder.resolve("rtdetr-test.json"), """
                {"name": "rtdetr-test", "family": "rtdetr", "input_width": 640, "input_height": 640,
                 "classes": "coco80", "max_batch": %d}
                """.formatted(maxBatch));
        return model;
    }

    static byte[] build() {
        int k = OBJECTS.length;
        float[] labels = new float[k];
        float[] scores = new float[k];
        float[] boxes = new float[4 * k];
        for (int i = 0; i < k; i++) {
            labels[i] = OBJECTS[i][0];
            System.arraycopy(OBJECTS[i], 1, boxes, 4 * i, 4);
            scores[i] = OBJECTS[i][5];
        }
        OnnxGraph g = new OnnxGraph("rtdetr_test");
        g.input("images", TensorProto.DataType.FLOAT_VALUE, new long[] {-1, 3, 640, 640});
        g.input("orig_target_sizes", TensorProto.DataType.INT64_VALUE, new long[] {-1, 2});
        String mean = g.node("ReduceMean", "brightness", List.of("images"), "brightness",
                OnnxGraph.attr("axes", new long[] {1, 2, 3}), OnnxGraph.attr("keepdims", 0L));
        String column = g.node("Unsqueeze", "brightness_column", List.of(mean, g.int64s("axis_1", 1)), "brightness_column");
        g.node("Mul", "scores", List.of(column, g.initializer("base_scores", new long[] {1, k}, scores)), "scores");
        String zeros = g.node("Mul", "zeros", List.of(column, g.floatScalar("zero", 0f)), "zeros");
        String labelFloats = g.node("Add", "label_floats",
                List.of(zeros, g.initializer("base_labels", new long[] {1, k}, labels)), "label_floats");
        g.node("Cast", "labels", List.of(labelFloats), "labels",
                OnnxGraph.attr("to", (long) TensorProto.DataType.INT64_VALUE));
        String sizes = g.node("Cast", "sizes", List.of("orig_target_sizes"), "sizes",
                OnnxGraph.attr("to", (long) TensorProto.DataType.FLOAT_VALUE));
        String scale = g.node("Concat", "xyxy_scale", List.of(sizes, sizes), "xyxy_scale", OnnxGraph.attr("axis", 1L));
        String scaleRows = g.node("Unsqueeze", "xyxy_scale_rows", List.of(scale, g.int64s("axis_1b", 1)),
                "xyxy_scale_rows");
        g.node("Mul", "boxes", List.of(g.initializer("base_boxes", new long[] {1, k, 4}, boxes), scaleRows), "boxes");
        g.output("labels", TensorProto.DataType.INT64_VALUE, null);
        g.output("boxes", TensorProto.DataType.FLOAT_VALUE, null);
        g.output("scores", TensorProto.DataType.FLOAT_VALUE, null);
        return g.toModelBytes("hsi-tests", "RT-DETRv2 signature with fixed answers");
    }
}
