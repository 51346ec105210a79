package dev.hsi.detect.model;

import java.util.ArrayList;
import java.util.List;

/**
 * TF StridedSlice as ONNX Slice (+ Squeeze for shrink_axis_mask). The masks are resolved at
 * conversion time, so begin, end and strides must be constants.
 */
final class StridedSliceMapping {

    private StridedSliceMapping() {
    }

    static void emit(TfNode n, TfjsOpMapper mapper, OnnxGraph graph) {
        if (n.integer("ellipsis_mask", 0) != 0 || n.integer("new_axis_mask", 0) != 0) {
            throw n.fail("ellipsis_mask and new_axis_mask are not supported");
        }
        long[] begin = mapper.constant(n, 1).asLongs("StridedSlice begin");
        long[] end = mapper.constant(n, 2).asLongs("StridedSlice end");
        long[] strides = mapper.constant(n, 3).asLongs("StridedSlice strides");
        if (end.length != begin.length || strides.length != begin.length) {
            throw n.fail("begin, end and strides differ in length");
        }
        long beginMask = n.integer("begin_mask", 0);
        long endMask = n.integer("end_mask", 0);
        long shrinkMask = n.integer("shrink_axis_mask", 0);

        int rank = begin.length;
        long[] starts = new long[rank];
        long[] ends = new long[rank];
        long[] axes = new long[rank];
        long[] steps = new long[rank];
        List<Long> squeezed = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            long step = strides[i];
            if (step == 0) {
                throw n.fail("stride 0 on axis " + i);
            }
            boolean forward = step > 0;
            // A masked begin/end means "from the first/to the last element in the stride's direction";
            // ONNX Slice clamps out-of-range bounds, so the extreme longs express "to the end".
            long start = (beginMask >> i & 1) == 1 ? (forward ? 0 : -1) : begin[i];
            long stop = (endMask >> i & 1) == 1 ? (forward ? Long.MAX_VALUE : Long.MIN_VALUE) : end[i];
            if ((shrinkMask >> i & 1) == 1) {
                // Shrinking takes the single element at start, then drops the axis.
                step = 1;
                stop = start == -1 ? Long.MAX_VALUE : start + 1;
                squeezed.add((long) i);
            }
            starts[i] = start;
            ends[i] = stop;
            axes[i] = i;
            steps[i] = step;
        }

        String x = mapper.ref(n.input(0));
        String name = n.name();
        List<String> inputs = List.of(x, graph.int64s(name + "#starts", starts), graph.int64s(name + "#ends", ends),
                graph.int64s(name + "#axes", axes), graph.int64s(name + "#steps", steps));
        if (squeezed.isEmpty()) {
            graph.node("Slice", name, inputs, mapper.out(n));
            return;
        }
        String sliced = graph.node("Slice", name + "/slice", inputs, name + "#sliced");
        long[] squeezeAxes = squeezed.stream().mapToLong(Long::longValue).toArray();
        graph.node("Squeeze", name, List.of(sliced, graph.int64s(name + "#squeeze_axes", squeezeAxes)), mapper.out(n));
    }
}
