package dev.hsi.detect.family;

import dev.hsi.detect.DetectedObject;
import dev.hsi.detect.Frame;
import dev.hsi.detect.model.ModelDescriptor;
import dev.hsi.detect.model.TensorData;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CenterNet as converted from {@code @vladmandic/human}: input {@code images} NHWC RGB 0..255 (normalisation is in
 * the graph); output {@code detections} {@code [N,100,6]} rows of x1, y1, x2, y2 in input pixels, score, class.
 * The graph picks its top 100 peaks per class without suppression, so overlapping boxes go through NMS here.
 */
final class CenterNetFamily implements ModelFamily {

    static final String INPUT = "images";
    static final String OUTPUT = "detections";
    /** Boxes weaker than this cannot pass any sensible threshold; dropping them keeps NMS short. */
    private static final double CANDIDATE_FLOOR = 0.1;
    private static final double NMS_IOU = 0.5;
    private static final int ROW = 6;

    private final ModelDescriptor model;

    CenterNetFamily(ModelDescriptor model) {
        this.model = model;
    }

    @Override
    public List<TensorData> inputs(List<Frame> frames) {
        FloatBuffer pixels = ImageTensors.rgb(frames, model.inputWidth(), model.inputHeight(),
                ImageTensors.Layout.NHWC, 1f);
        return List.of(new TensorData(INPUT,
                new long[] {frames.size(), model.inputHeight(), model.inputWidth(), 3}, pixels));
    }

    @Override
    public void prepare(List<Frame> frames) {
        ImageTensors.prepare(frames, model.inputWidth(), model.inputHeight(), ImageTensors.Layout.NHWC, 1f);
    }

    @Override
    public List<String> outputNames() {
        return List.of(OUTPUT);
    }

    @Override
    public List<List<DetectedObject>> decode(Map<String, TensorData> outputs, List<Frame> frames) {
        TensorData detections = outputs.get(OUTPUT);
        FloatBuffer rows = detections.floats();
        int perImage = (int) detections.shape()[1];
        List<List<DetectedObject>> result = new ArrayList<>(frames.size());
        for (int n = 0; n < frames.size(); n++) {
            Frame frame = frames.get(n);
            double scaleX = frame.width() / (double) model.inputWidth();
            double scaleY = frame.height() / (double) model.inputHeight();
            List<DetectedObject> candidates = new ArrayList<>();
            for (int k = 0; k < perImage; k++) {
                int at = (n * perImage + k) * ROW;
                float score = rows.get(at + 4);
                float classIndex = rows.get(at + 5);
                if (score >= CANDIDATE_FLOOR && !Float.isNaN(classIndex)) {
                    candidates.add(Boxes.fromCorners(model.className((int) classIndex), score,
                            rows.get(at) * scaleX, rows.get(at + 1) * scaleY,
                            rows.get(at + 2) * scaleX, rows.get(at + 3) * scaleY, frame.width(), frame.height()));
                }
            }
            result.add(NonMaxSuppression.apply(candidates, NMS_IOU));
        }
        return result;
    }
}
