package dev.hsi.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.hsi.detect.Frame;
import dev.hsi.detect.backend.OnnxRuntimeDetector;
import dev.hsi.detect.model.CenterNetModel;
import dev.hsi.detect.model.ModelDescriptor;
import dev.hsi.detect.model.OrtEnvironments;
import dev.hsi.support.Images;
import dev.hsi.support.TestEnv;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;

/**
 * The detect stage against bare ONNX Runtime, same model and thread count, side by side in one run.
 *
 * <ul>
 *   <li>bare: {@code session.run} on a tensor made once, before timing;</li>
 *   <li>stage: what the detect stage does per image: read the file, decode the JPEG, resize into the input tensor,
 *       run, decode the outputs, non-maximum suppression ({@link OnnxRuntimeDetector#detect}). As in
 *       {@code DetectVerticle}, reading, decoding and resizing run on a decode thread one group ahead of inference, so they
 *       overlap the previous group's model run; the images per second count both.</li>
 * </ul>
 * Rounds alternate between the two (bare, stage, bare, stage...) so that the machine's noise hits both alike.
 * Batch 8 means eight images per detect call (CenterNet's graph has batch 1, so they run one after another) against
 * eight bare runs.
 *
 * <pre>mvn -o -q test-compile exec:java -Dexec.mainClass=dev.hsi.bench.DetectStageBench -Dexec.classpathScope=test \
 *     -Dexec.args="--rounds 12 --per-round 24 --threads 2"</pre>
 */
public final class DetectStageBench {

    private DetectStageBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = intArg(args, "--rounds", 12);
        int perRound = intArg(args, "--per-round", 24);
        int threads = intArg(args, "--threads", 2);
        Path model = CenterNetModel.ensure(TestEnv.MODEL_DIR);
        List<Path> images = List.of(Images.PERSON, Images.DOG, Images.HORSES, Images.EAGLE);

        OrtEnvironment environment = OrtEnvironments.get();
        OrtSession.SessionOptions options = OnnxRuntimeDetector.sessionOptions(threads);
        ExecutorService decoder = Executors.newSingleThreadExecutor();
        try (OrtSession bare = environment.createSession(model.toString(), options);
                OnnxRuntimeDetector stage = OnnxRuntimeDetector.load(ModelDescriptor.centerNet(model), threads);
                OnnxTensor input = OnnxTensor.createTensor(environment, premade(Images.PERSON),
                        new long[] {1, CenterNetModel.INPUT_SIZE, CenterNetModel.INPUT_SIZE, 3})) {
            System.out.printf("# Detect stage vs bare ONNX Runtime: CenterNet COCO-80 512x512, %d intra-op threads, "
                    + "%d cores, %s%n%n", threads, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
            for (int batch : new int[] {1, 8}) {
                Series bareTimes = new Series();
                Series stageTimes = new Series();
                warmUp(bare, input, stage, images, batch);
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < perRound; i += batch) {
                        long started = System.nanoTime();
                        for (int b = 0; b < batch; b++) {
                            try (OrtSession.Result result = bare.run(Map.of("images", input))) {
                                result.get(0);
                            }
                        }
                        bareTimes.add(System.nanoTime() - started, batch);
                    }
                    long started = System.nanoTime();
                    Future<List<Frame>> next = decoder.submit(() -> decoded(stage, images, 0, batch));
                    for (int i = 0; i < perRound; i += batch) {
                        List<Frame> frames = next.get();
                        int following = i + batch;
                        next = decoder.submit(() -> decoded(stage, images, following, batch));
                        stage.detect(frames);
                        long now = System.nanoTime();
                        stageTimes.add(now - started, batch);
                        started = now;
                    }
                    next.get();
                }
                report(batch, bareTimes, stageTimes);
            }
        } finally {
            decoder.shutdownNow();
        }
    }

    /** What the decode phase does: read each file, decode its pixels and resize them into the model's input. */
    private static List<Frame> decoded(OnnxRuntimeDetector stage, List<Path> images, int first, int count) {
        List<Frame> frames = new ArrayList<>(count);
        for (int b = 0; b < count; b++) {
            Frame frame = Frame.ofFile(images.get((first + b) % images.size()));
            frame.image();
            frames.add(frame);
        }
        stage.prepare(frames);
        return frames;
    }

    private static void warmUp(OrtSession bare, OnnxTensor input, OnnxRuntimeDetector stage, List<Path> images,
            int batch) throws Exception {
        for (int i = 0; i < 10; i++) {
            try (OrtSession.Result ignored = bare.run(Map.of("images", input))) {
                stage.detect(List.of(Frame.ofFile(images.get(i % images.size()))));
            }
        }
    }

    private static void report(int batch, Series bare, Series stage) {
        double ratio = stage.imagesPerSecond() / bare.imagesPerSecond();
        System.out.printf("## batch %d%n%n| path | images | images/s | p50 ms/image | p95 ms/image |%n|---|---|---|---|---|%n",
                batch);
        System.out.printf("| bare session.run | %d | %.1f | %.1f | %.1f |%n", bare.images, bare.imagesPerSecond(),
                bare.percentile(0.5), bare.percentile(0.95));
        System.out.printf("| detect stage | %d | %.1f | %.1f | %.1f |%n", stage.images, stage.imagesPerSecond(),
                stage.percentile(0.5), stage.percentile(0.95));
        System.out.printf("%nstage throughput = %.1f%% of bare (goal >= 90%%)%n%n", 100 * ratio);
    }

    /** A pre-made input tensor: the bare path must not pay for decoding or resizing. */
    private static FloatBuffer premade(Path image) throws Exception {
        int size = CenterNetModel.INPUT_SIZE;
        BufferedImage source = ImageIO.read(image.toFile());
        BufferedImage resized = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, size, size, null);
        g.dispose();
        byte[] bgr = ((DataBufferByte) resized.getRaster().getDataBuffer()).getData();
        FloatBuffer buffer = FloatBuffer.allocate(bgr.length);
        for (int i = 0; i < bgr.length; i += 3) {
            buffer.put(bgr[i + 2] & 0xFF).put(bgr[i + 1] & 0xFF).put(bgr[i] & 0xFF);
        }
        return buffer.flip();
    }

    private static int intArg(String[] args, String name, int defaultValue) {
        int at = Arrays.asList(args).indexOf(name);
        return at >= 0 && at + 1 < args.length ? Integer.parseInt(args[at + 1]) : defaultValue;
    }

    /** Per-image times (a call's time divided by its images) and totals. */
    private static final class Series {
        private final List<Double> perImageMillis = new ArrayList<>();
        private long nanos;
        private int images;

        void add(long elapsedNanos, int count) {
            nanos += elapsedNanos;
            images += count;
            for (int i = 0; i < count; i++) {
                perImageMillis.add(elapsedNanos / 1e6 / count);
            }
        }

        double imagesPerSecond() {
            return images / (nanos / 1e9);
        }

        double percentile(double q) {
            List<Double> sorted = new ArrayList<>(perImageMillis);
            sorted.sort(Double::compare);
            return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
        }
    }
}
