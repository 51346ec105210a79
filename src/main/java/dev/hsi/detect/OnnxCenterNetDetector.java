package dev.hsi.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.hsi.detect.model.CenterNetModel;
import dev.hsi.detect.model.CocoLabels;
import dev.hsi.detect.model.OrtEnvironments;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CenterNet COCO-80 detector (MobileNetV3 backbone) run by ONNX Runtime on the CPU. Input: NHWC RGB 0..255 at
 * 512×512 (normalisation is inside the graph); output: the top 100 boxes in input pixels with score and class.
 */
public final class OnnxCenterNetDetector implements Detector {

    private static final String INPUT = "images";
    private static final String OUTPUT = "detections";
    /** Boxes weaker than this cannot pass any sensible threshold; dropping them keeps NMS short. */
    private static final double CANDIDATE_FLOOR = 0.1;
    private static final double NMS_IOU = 0.5;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final Path modelFile;
    private final int threads;

    private OnnxCenterNetDetector(OrtEnvironment environment, OrtSession session, Path modelFile, int threads) {
        this.environment = environment;
        this.session = session;
        this.modelFile = modelFile;
        this.threads = threads;
    }

    /** Blocking: loads the model into an ONNX Runtime session using {@code threads} intra-op threads. */
    public static OnnxCenterNetDetector load(Path modelFile, int threads) throws OrtException {
        OrtEnvironment environment = OrtEnvironments.get();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return new OnnxCenterNetDetector(
                environment, environment.createSession(modelFile.toString(), options), modelFile, threads);
    }

    @Override
    public String describe() {
        return "onnxruntime on CPU (" + threads + " threads), model CenterNet COCO-80 " + modelFile.getFileName();
    }

    @Override
    public List<DetectedObject> detect(BufferedImage image) throws OrtException {
        int size = CenterNetModel.INPUT_SIZE;
        float[][][] rows;
        try (OnnxTensor input = OnnxTensor.createTensor(
                        environment, toInput(image, size), new long[] {1, size, size, 3});
                OrtSession.Result result = session.run(Map.of(INPUT, input))) {
            rows = (float[][][]) result.get(OUTPUT).orElseThrow().getValue();
        }
        double scaleX = image.getWidth() / (double) size;
        double scaleY = image.getHeight() / (double) size;
        List<DetectedObject> candidates = new ArrayList<>();
        for (float[] row : rows[0]) {
            if (row[4] >= CANDIDATE_FLOOR && !Float.isNaN(row[5])) {
                candidates.add(toObject(row, scaleX, scaleY, image.getWidth(), image.getHeight()));
            }
        }
        return NonMaxSuppression.apply(candidates, NMS_IOU);
    }

    private static DetectedObject toObject(float[] row, double scaleX, double scaleY, int width, int height) {
        int x1 = clamp((int) Math.round(row[0] * scaleX), width);
        int y1 = clamp((int) Math.round(row[1] * scaleY), height);
        int x2 = clamp((int) Math.round(row[2] * scaleX), width);
        int y2 = clamp((int) Math.round(row[3] * scaleY), height);
        return new DetectedObject(CocoLabels.name((int) row[5]), row[4], x1, y1, Math.max(0, x2 - x1), Math.max(0, y2 - y1));
    }

    private static int clamp(int value, int max) {
        return Math.max(0, Math.min(max, value));
    }

    /** Bilinear resize to the model's square input, as the original TF.js code does, then NHWC RGB floats. */
    private static FloatBuffer toInput(BufferedImage image, int size) {
        BufferedImage resized = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D graphics = resized.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.drawImage(image, 0, 0, size, size, null);
        } finally {
            graphics.dispose();
        }
        byte[] bgr = ((DataBufferByte) resized.getRaster().getDataBuffer()).getData();
        FloatBuffer input = FloatBuffer.allocate(size * size * 3);
        for (int i = 0; i < bgr.length; i += 3) {
            input.put(bgr[i + 2] & 0xFF).put(bgr[i + 1] & 0xFF).put(bgr[i] & 0xFF);
        }
        return input.flip();
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
