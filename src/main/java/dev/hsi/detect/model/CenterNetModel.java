package dev.hsi.detect.model;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The pretrained CenterNet (MobileNetV3) COCO-80 detector of {@code @vladmandic/human}, as an ONNX
 * model: input float NHWC [1, 512, 512, 3] RGB 0..255, output [1, 100, 6] rows of x1, y1, x2, y2
 * (pixels of the 512x512 input), score, COCO class index (see {@link CocoLabels}). The model keeps
 * the top 100 peaks; overlapping boxes still need non-maximum suppression by the caller.
 */
public final class CenterNetModel {

    public static final String PACKAGE_SPEC = "@vladmandic/human@3.3.6";
    public static final int INPUT_SIZE = 512;
    public static final String MODEL_FILE = "centernet-coco80.onnx";
    public static final String LICENSE_FILE = "centernet-coco80.LICENSE.txt";

    static final String JSON_ENTRY = "package/models/centernet.json";
    static final String BIN_ENTRY = "package/models/centernet.bin";
    static final String LICENSE_ENTRY = "package/LICENSE";
    /** The tarball is ~29 MB; five minutes leaves room for a slow link without hanging a start-up forever. */
    static final long NPM_TIMEOUT_SECONDS = 300;

    private static final Logger LOG = LoggerFactory.getLogger(CenterNetModel.class);

    private CenterNetModel() {
    }

    /**
     * Returns {@code modelDir/centernet-coco80.onnx}, creating it first when it is missing: downloads
     * the npm package with {@code npm pack}, converts the TF.js model, and writes the model and a
     * license note next to it. This blocks for several seconds on first use (network, CPU), so call it
     * from a worker thread, never from an event loop. Several processes may race safely: each writes
     * to its own temporary file and moves it into place atomically.
     *
     * @throws IOException if npm is missing or fails, or the package lacks the expected files
     */
    public static Path ensure(Path modelDir) throws IOException {
        return ensure(modelDir, System.getProperty("os.name", "").startsWith("Windows") ? "npm.cmd" : "npm");
    }

    /** As {@link #ensure(Path)}, with the npm executable to run (tests point it at a failing one). */
    static Path ensure(Path modelDir, String npm) throws IOException {
        Path model = modelDir.resolve(MODEL_FILE);
        if (Files.isRegularFile(model)) {
            return model;
        }
        Files.createDirectories(modelDir);
        long start = System.nanoTime();
        LOG.debug("{} is missing; fetching {}", model, PACKAGE_SPEC);
        Path work = Files.createTempDirectory("hsi-centernet-");
        try {
            Path tarball = npmPack(npm, work);
            Map<String, byte[]> entries;
            try (InputStream in = Files.newInputStream(tarball)) {
                entries = TarGzReader.extract(in, Set.of(JSON_ENTRY, BIN_ENTRY, LICENSE_ENTRY));
            }
            for (String entry : List.of(JSON_ENTRY, BIN_ENTRY, LICENSE_ENTRY)) {
                if (!entries.containsKey(entry)) {
                    throw new IOException(PACKAGE_SPEC + " has no " + entry);
                }
            }
            byte[] onnx;
            try {
                onnx = TfjsGraphConverter.toOnnx(new String(entries.get(JSON_ENTRY), StandardCharsets.UTF_8),
                        entries.get(BIN_ENTRY));
            } catch (IllegalArgumentException e) {
                throw new IOException("cannot convert the CenterNet model of " + PACKAGE_SPEC + ": " + e.getMessage(), e);
            }
            writeAtomically(modelDir.resolve(LICENSE_FILE), licenseText(entries.get(LICENSE_ENTRY)));
            // The model goes last: once it exists, everything that belongs with it exists too.
            writeAtomically(model, onnx);
            LOG.info("Fetched {} and converted its CenterNet detector to {} ({} KiB) in {} ms",
                    PACKAGE_SPEC, model, onnx.length / 1024, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            return model;
        } finally {
            deleteRecursively(work);
        }
    }

    /** Runs {@code npm pack}, which downloads the package tarball into {@code work} without installing it. */
    private static Path npmPack(String npm, Path work) throws IOException {
        Path log = work.resolve("npm.log");
        ProcessBuilder builder = new ProcessBuilder(npm, "pack", PACKAGE_SPEC, "--ignore-scripts")
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("npm (Node.js) is needed once to download the object detection model "
                    + PACKAGE_SPEC + " but could not be started: " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(NPM_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("npm pack " + PACKAGE_SPEC + " did not finish within "
                        + NPM_TIMEOUT_SECONDS + " s: " + tail(log));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running npm pack " + PACKAGE_SPEC);
        }
        if (process.exitValue() != 0) {
            throw new IOException("npm pack " + PACKAGE_SPEC + " failed with exit code " + process.exitValue()
                    + ": " + tail(log));
        }
        try (Stream<Path> files = Files.list(work)) {
            List<Path> tarballs = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
            if (tarballs.size() != 1) {
                throw new IOException("npm pack " + PACKAGE_SPEC + " produced " + tarballs.size()
                        + " tarballs: " + tail(log));
            }
            return tarballs.get(0);
        }
    }

    private static byte[] licenseText(byte[] packageLicense) {
        String note = "\n\n----\n"
                + "The object detection model " + MODEL_FILE + " was converted from models/centernet.json and\n"
                + "models/centernet.bin of the npm package " + PACKAGE_SPEC + ", which is distributed\n"
                + "under the license above. That model was trained by the upstream project\n"
                + "https://github.com/610265158/mobilenetv3_centernet, whose repository has no license file.\n";
        return (new String(packageLicense, StandardCharsets.UTF_8).strip() + note).getBytes(StandardCharsets.UTF_8);
    }

    /** Temporary file in the same directory, flushed to disk, then renamed over the target in one step. */
    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString() + ".", ".tmp");
        try {
            if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                // createTempFile makes the file private (0600); the model is no secret, and a service
                // running as another user may need to read it.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                // Platforms that refuse to replace on an atomic move: a racing process already wrote the same bytes.
                LOG.debug("{} appeared while converting; keeping it", target);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "(no output)" : text.substring(Math.max(0, text.length() - 2000));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.debug("could not delete temporary directory {}", dir, e);
        }
    }
}
