package dev.hsi.detect.family;

import dev.hsi.detect.DetectedObject;
import dev.hsi.detect.Frame;
import dev.hsi.detect.model.ModelDescriptor;
import dev.hsi.detect.model.TensorData;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RT-DETRv2 as exported by its authors' tooling: inputs {@code images} {@code [N,3,H,W]} RGB 0..1 and
 * {@code orig_target_sizes} {@code [N,2]} (width, height); outputs {@code labels} {@code [N,K]},
 * {@code boxes} {@code [N,K,4]} xyxy already in original pixels, {@code scores} {@code [N,K]}. DETR-style set
 * prediction gives one query per object, so no NMS is needed.
 */
final class RtDetrFamily implements ModelFamily {

    static final String IMAGES = "images";
    static final String SIZES = "orig_target_sizes";
    static final String LABELS = "labels";
    static final String BOXES = "boxes";
    static final String SCORES = "scores";
    private static final double CANDIDATE_FLOOR = 0.1;

    private final ModelDescriptor model;

    RtDetrFamily(ModelDescriptor model) {
        this.model = model;
    }

    @Override
    public List<TensorData> inputs(List<Frame> frames) {
        FloatBuffer pixels = ImageTensors.rgb(frames, model.inputWidth(), model.inputHeight(),
                ImageTensors.Layout.NCHW, 1f / 255f);
        LongBuffer sizes = LongBuffer.allocate(frames.size() * 2);
        frames.forEach(frame -> sizes.put(frame.width()).put(frame.height()));
        return List.of(
                new TensorData(IMAGES, new long[] {frames.size(), 3, model.inputHeight(), model.inputWidth()}, pixels),
                new TensorData(SIZES, new long[] {frames.size(), 2}, sizes.flip()));
    }

    @Override
    public void prepare(List<Frame> frames) {
        ImageTensors.prepare(frames, model.inputWidth(), model.inputHeight(), ImageTensors.Layout.NCHW, 1f / 255f);
    }

    @Override
    public List<String> outputNames() {
        return List.of(LABELS, BOXES, SCORES);
    }

    @Override
    public List<List<DetectedObject>> decode(Map<String, TensorData> outputs, List<Frame> frames) {
        TensorData labelTensor = outputs.get(LABELS);
        LongBuffer labels = labelTensor.isFloat() ? null : labelTensor.longs();
        FloatBuffer labelFloats = labelTensor.isFloat() ? labelTensor.floats() : null;
        FloatBuffer boxes = outputs.get(BOXES).floats();
        FloatBuffer scores = outputs.get(SCORES).floats();
        int queries = (int) outputs.get(SCORES).shape()[1];
        List<List<DetectedObject>> result = new ArrayList<>(frames.size());
        for (int n = 0; n < frames.size(); n++) {
            Frame frame = frames.get(n);
            List<DetectedObject> objects = new ArrayList<>();
            for (int k = 0; k < queries; k++) {
                int at = n * queries + k;
                float score = scores.get(at);
                if (score < CANDIDATE_FLOOR) {
                    continue;
                }
                int label = labels != null ? (int) labels.get(at) : (int) labelFloats.get(at);
                objects.add(Boxes.fromCorners(model.className(label), score, boxes.get(4 * at), boxes.get(4 * at + 1),
                        boxes.get(4 * at + 2), boxes.get(4 * at + 3), frame.width(), frame.height()));
            }
            result.add(objects);
        }
        return result;
    }
}
