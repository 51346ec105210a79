package dev.hsi.detect.family;

import dev.hsi.detect.DetectedObject;
import dev.hsi.detect.Frame;
import dev.hsi.detect.model.ModelDescriptor;
import dev.hsi.detect.model.TensorData;
import java.util.List;
import java.util.Map;

/**
 * What a family of detection models wants as input and how its outputs read, independent of the runtime that
 * runs it: ONNX Runtime and TensorRT share one implementation per family.
 */
public interface ModelFamily {

    /** The input tensors for these frames (at most the model's max batch), in the model's layout. */
    List<TensorData> inputs(List<Frame> frames);

    /** Resizes each frame into this family's input ahead of time ({@link Frame#prepare}); {@link #inputs} uses it. */
    void prepare(List<Frame> frames);

    /** The output tensors {@link #decode} reads. */
    List<String> outputNames();

    /** The objects of each frame, boxes in original-image pixels, clamped to the image. */
    List<List<DetectedObject>> decode(Map<String, TensorData> outputs, List<Frame> frames);

    static ModelFamily of(ModelDescriptor model) {
        return switch (model.family()) {
            case ModelDescriptor.CENTERNET -> new CenterNetFamily(model);
            case ModelDescriptor.RTDETR -> new RtDetrFamily(model);
            default -> throw new IllegalArgumentException("unknown model family " + model.family());
        };
    }
}
