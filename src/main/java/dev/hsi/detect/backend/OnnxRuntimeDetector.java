package dev.hsi.detect.backend;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.hsi.detect.DetectedObject;
import dev.hsi.detect.Detector;
import dev.hsi.detect.Frame;
import dev.hsi.detect.family.ModelFamily;
import dev.hsi.detect.model.ModelDescriptor;
import dev.hsi.detect.model.OrtEnvironments;
import dev.hsi.detect.model.TensorData;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A detection model run by ONNX Runtime: on the CPU, or on an NVIDIA GPU through the CUDA execution provider when
 * the GPU build of ONNX Runtime ({@code onnxruntime_gpu}) is on the class path and a GPU answers.
 */
public final class OnnxRuntimeDetector implements Detector {

    private final ModelDescriptor model;
    private final ModelFamily family;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String device;

    private OnnxRuntimeDetector(ModelDescriptor model, OrtEnvironment environment, OrtSession session, String device) {
        this.model = model;
        this.family = ModelFamily.of(model);
        this.environment = environment;
        this.session = session;
        this.device = device;
    }

    /** Blocking: loads the model into a session with {@code threads} intra-op threads. */
    public static OnnxRuntimeDetector load(ModelDescriptor model, int threads) throws OrtException {
        OrtEnvironment environment = OrtEnvironments.get();
        OrtSession.SessionOptions options = sessionOptions(threads);
        String device = "CPU (" + threads + " threads)";
        if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            try {
                options.addCUDA(0);
                device = "GPU 0 (CUDA execution provider)";
            } catch (OrtException e) {
                device = "CPU (" + threads + " threads; CUDA provider present but unusable: " + e.getMessage() + ")";
            }
        }
        return new OnnxRuntimeDetector(model, environment,
                environment.createSession(model.file().toString(), options), device);
    }

    /**
     * The session options HSI runs models with (benchmarks use the same for their baseline). Spinning is off: idle
     * intra-op threads would otherwise busy-wait between runs and take the cores the decode phase needs.
     */
    public static OrtSession.SessionOptions sessionOptions(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    @Override
    public String describe() {
        return "onnxruntime on " + device + ", model " + model.name() + " (" + model.family() + ", "
                + model.inputWidth() + "x" + model.inputHeight() + ", batch <= " + model.maxBatch() + ")";
    }

    @Override
    public int maxBatch() {
        return model.maxBatch();
    }

    @Override
    public void prepare(List<Frame> frames) {
        family.prepare(frames);
    }

    /** Models with a fixed batch dimension run frame by frame; the others take the whole group in one call. */
    @Override
    public List<List<DetectedObject>> detect(List<Frame> frames) throws OrtException {
        if (frames.size() <= model.maxBatch()) {
            return run(frames);
        }
        List<List<DetectedObject>> all = new ArrayList<>(frames.size());
        for (int from = 0; from < frames.size(); from += model.maxBatch()) {
            all.addAll(run(frames.subList(from, Math.min(frames.size(), from + model.maxBatch()))));
        }
        return all;
    }

    private List<List<DetectedObject>> run(List<Frame> frames) throws OrtException {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            for (TensorData input : family.inputs(frames)) {
                inputs.put(input.name(), input.isFloat()
                        ? OnnxTensor.createTensor(environment, input.floats(), input.shape())
                        : OnnxTensor.createTensor(environment, input.longs(), input.shape()));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                Map<String, TensorData> outputs = new HashMap<>();
                for (String name : family.outputNames()) {
                    OnnxValue value = result.get(name).orElseThrow(
                            () -> new IllegalStateException("model " + model.name() + " has no output " + name));
                    outputs.put(name, toTensorData(name, (OnnxTensor) value));
                }
                return family.decode(outputs, frames);
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static TensorData toTensorData(String name, OnnxTensor tensor) {
        long[] shape = tensor.getInfo().getShape();
        return switch (tensor.getInfo().type) {
            // getFloatBuffer/getLongBuffer already return copies the tensor does not own
            case FLOAT -> new TensorData(name, shape, tensor.getFloatBuffer());
            case INT64 -> new TensorData(name, shape, tensor.getLongBuffer());
            case INT32 -> TensorData.ofInts(name, shape, tensor.getIntBuffer());
            default -> throw new IllegalStateException("output " + name + " has unsupported type " + tensor.getInfo().type);
        };
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("Closing the ONNX Runtime session failed", e);
        }
    }
}
