package dev.hsi.bench;

import dev.hsi.media.FastImages;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;

/**
 * What the steps issue 2 requires of every upload cost on their own, outside the server: reading the file, its
 * SHA-256 (dedupe), the full decode at ingest (OpenCV where it loads) and the resize into the model's 512 × 512
 * input. Their sum is the floor of the pipeline's own overhead, before any hand-over between stages
 * (docs/performance.md, "The floor").
 *
 * <pre>
 * mvn -o -q test-compile exec:java -Dexec.mainClass=dev.hsi.bench.DecodeCostBench -Dexec.args="--repeat 200"
 * </pre>
 */
public final class DecodeCostBench {

    private static final List<String> IMAGES = List.of("person.jpg", "dog.jpg", "eagle.jpg");
    private static final int MODEL_INPUT = 512;

    private DecodeCostBench() {
    }

    public static void main(String[] args) throws Exception {
        int repeat = BenchMain.parseOrExit("DecodeCostBench", "[--repeat N]", () -> {
            if (args.length == 0) {
                return 200;
            }
            if (args.length != 2 || !args[0].equals("--repeat")) {
                throw new IllegalArgumentException("unknown arguments " + String.join(" ", args));
            }
            return Integer.parseInt(args[1]);
        });
        System.out.println("decoder: " + FastImages.implementation() + "; " + repeat + " repetitions, best of 3 rounds");
        System.out.println("| image | bytes | size | read ms | SHA-256 ms | decode ms | resize ms | sum ms |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|");
        FloatBuffer input = ByteBuffer.allocateDirect(MODEL_INPUT * MODEL_INPUT * 3 * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (String name : IMAGES) {
            Path file = Path.of("src/test/resources/images", name);
            byte[] content = Files.readAllBytes(file);
            BufferedImage image = FastImages.decode(content);
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < repeat; i++) {
                    Files.readAllBytes(file);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < repeat; i++) {
                    MessageDigest.getInstance("SHA-256").digest(content);
                }
                long t2 = System.nanoTime();
                for (int i = 0; i < repeat; i++) {
                    image = FastImages.decode(content);
                }
                long t3 = System.nanoTime();
                for (int i = 0; i < repeat; i++) {
                    input.clear();
                    FastImages.putRgb(image, MODEL_INPUT, MODEL_INPUT, false, 1f, input);
                }
                long t4 = System.nanoTime();
                long[] ends = {t1, t2, t3, t4};
                long start = t0;
                for (int step = 0; step < 4; step++) {
                    best[step] = Math.min(best[step], (ends[step] - start) / 1e6 / repeat);
                    start = ends[step];
                }
            }
            System.out.println(String.format(Locale.ROOT, "| %s | %,d | %d × %d | %.3f | %.3f | %.3f | %.3f | %.3f |",
                    name, content.length, image.getWidth(), image.getHeight(), best[0], best[1], best[2], best[3],
                    best[0] + best[1] + best[2] + best[3]));
        }
    }
}
