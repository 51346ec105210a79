package dev.hsi.bench;

import static dev.hsi.bench.BenchArgs.nonNegative;
import static dev.hsi.bench.BenchArgs.positive;
import static dev.hsi.bench.BenchArgs.putSetting;
import static dev.hsi.bench.BenchArgs.value;

import dev.hsi.app.HsiServer;
import dev.hsi.bus.RedisKeys;
import dev.hsi.metrics.Stage;
import dev.hsi.support.Api;
import dev.hsi.support.Db;
import dev.hsi.support.Ftp;
import dev.hsi.support.Images;
import dev.hsi.support.InFlight;
import dev.hsi.support.TestEnv;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;

/**
 * Pipeline benchmark harness (a {@code main}, not a unit test): starts a whole {@link HsiServer} in-process on the
 * embedded defaults in a fresh temporary DATA_DIR, uploads JPEGs over real FTP and reports the server's own
 * per-stage latency percentiles ({@code GET /api/system/pipeline-latency}) for two modes:
 *
 * <ul>
 *   <li>{@code paced}: one upload at a time, the next only once the previous one's detect job is finished
 *       (inferred, stored and acknowledged): per-stage cost without queueing;</li>
 *   <li>{@code burst}: every upload as fast as a few concurrent FTP clients can send them: throughput and
 *       queueing.</li>
 * </ul>
 *
 * Every upload has unique content (the test image padded with a different number of zero bytes after its
 * end-of-image marker, which keeps the JPEG valid and changes its SHA-256), so dedupe never skips one. Fast path is
 * off (threshold 2.0) so every detection goes through a batch; batches close after 2 s / 0.5 s idle.
 *
 * <p>Run from the project root (the model cache and test images are found relative to it); see docs/performance.md:
 * <pre>
 * mvn -o -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.mainClass=dev.hsi.bench.PipelineBench \
 *     -Dexec.classpathScope=test -Dexec.args="--images 200"
 * </pre>
 * (the short {@code exec:java} prefix resolves offline only once the pom declares exec-maven-plugin 3.5.0), or
 * without the plugin:
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" dev.hsi.bench.PipelineBench --images 200
 * </pre>
 * Options: {@code --images N} (burst uploads, default 200), {@code --paced N} (paced uploads, default
 * the same as --images), {@code --mode paced|burst|both}, {@code --warmup N} (default 10), {@code --clients N}
 * (concurrent FTP clients in burst, default 4), {@code --cameras N} (camera folders, default 4),
 * {@code --env KEY=VALUE} (extra server setting, repeatable), {@code --out FILE} (also write the report there),
 * {@code --log-info} (keep the server's INFO log; by default dev.hsi logs at WARN so the report stays readable),
 * {@code --keep} (keep the temporary DATA_DIR).
 */
public final class PipelineBench {

    private static final List<Path> IMAGES = List.of(Images.PERSON, Images.DOG, Images.HORSES, Images.EAGLE);
    private static final String[] REPORTED_STAGES = Arrays.stream(Stage.values())
            .map(s -> s.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    private static final Duration POLL = Duration.ofMillis(10);

    private final Options options;
    private final Path workDir;
    private final List<byte[]> originals = new ArrayList<>();
    private final AtomicInteger serial = new AtomicInteger();
    private HsiServer server;
    private Ftp ftp;
    private Api api;
    private Db db;
    private Jedis redis;
    private Duration idleTimeout;

    private PipelineBench(Options options, Path workDir) {
        this.options = options;
        this.workDir = workDir;
    }

    public static void main(String[] args) {
        Options options = BenchMain.parseOrExit("PipelineBench", "[--images N] [--paced N] [--mode paced|burst|both]"
                + " [--warmup N] [--clients N] [--cameras N] [--env KEY=VALUE]... [--out FILE] [--log-info] [--keep]",
                () -> Options.parse(args));
        BenchMain.run("PipelineBench", options.logInfo, options.out, options.keep,
                workDir -> new PipelineBench(options, workDir).run());
    }

    private String run() throws Exception {
        for (Path image : IMAGES) {
            originals.add(Files.readAllBytes(image));
        }
        Path dataDir = Files.createDirectories(workDir.resolve("data"));
        Files.createDirectories(workDir.resolve("uploads"));
        Map<String, String> env = TestEnv.pipeline(dataDir);
        env.put("BATCH_WINDOW_SECONDS", "2");
        env.put("BATCH_IDLE_TIMEOUT_SECONDS", "0.5");
        env.put("BATCH_CHECK_INTERVAL_SECONDS", "0.2");
        env.put("FAST_PATH_CONFIDENCE_THRESHOLD", "2.0"); // above 1.0: fast path off, every event is a batch
        env.put("DEDUPE_TTL_SECONDS", "3600");
        env.putAll(options.env);

        StringBuilder report = new StringBuilder();
        long startMs = System.nanoTime();
        server = HsiServer.start(TestEnv.config(env));
        log("server up in %d ms (API %d, FTP %d)", (System.nanoTime() - startMs) / 1_000_000,
                server.apiPort(), server.ftpPort());
        try {
            idleTimeout = server.config().batch().idleTimeout();
            ftp = new Ftp(server.ftpPort(), "cam", "secret");
            api = new Api(server.apiPort());
            db = new Db(server.database());
            redis = new Jedis(URI.create(server.redisUrl()));

            report.append(header(env)).append('\n');

            warmUp();
            if (options.runPaced()) {
                report.append(paced()).append('\n');
            }
            if (options.runBurst()) {
                report.append(burst()).append('\n');
            }
            long dead = redis.llen(RedisKeys.deadLetter(RedisKeys.DETECTION_QUEUE))
                    + redis.llen(RedisKeys.deadLetter(RedisKeys.ANALYSIS_QUEUE));
            if (dead > 0) {
                throw new IllegalStateException(dead + " job(s) were dead-lettered: the numbers are not valid");
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
            long stopping = System.nanoTime();
            server.close();
            log("server shut down in %d ms", (System.nanoTime() - stopping) / 1_000_000);
        }
        return report.toString();
    }

    // ---------------------------------------------------------------------------------------------- modes

    private void warmUp() {
        if (options.warmup == 0) {
            return;
        }
        log("warm-up: %d paced uploads", options.warmup);
        for (int i = 0; i < options.warmup; i++) {
            Upload upload = prepare("warmup", i);
            ftp.upload(upload.file, upload.folder, upload.name);
            awaitDetectDone(i + 1, Duration.ofSeconds(120));
        }
        awaitQuiet();
        server.timings().clear();
    }

    private String paced() {
        int n = options.paced;
        List<Upload> uploads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            uploads.add(prepare("paced", i));
        }
        log("paced: %d uploads, one at a time", n);
        List<Double> client = new ArrayList<>();
        List<Double> endToEnd = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Upload upload = uploads.get(i);
            long sending = System.nanoTime();
            ftp.upload(upload.file, upload.folder, upload.name);
            long sent = System.nanoTime();
            awaitDetectDone(i + 1, Duration.ofSeconds(120));
            client.add((sent - sending) / 1e6);
            endToEnd.add((System.nanoTime() - sending) / 1e6);
            if ((i + 1) % 10 == 0) {
                log("paced: %d/%d done", i + 1, n);
            }
        }
        double detectSeconds = (System.nanoTime() - started) / 1e9;
        Duration drain = awaitQuiet();
        JsonObject snapshot = api.json("/api/system/pipeline-latency");
        server.timings().clear();

        StringBuilder out = new StringBuilder();
        out.append("## Mode `paced` (N = ").append(n).append(")\n\n");
        out.append(table(snapshot)).append('\n');
        out.append(overhead(snapshot));
        out.append(String.format(Locale.ROOT,
                "- wall time to process all uploads: %.1f s (%.2f images/s, sequential: not a throughput figure)%n",
                detectSeconds, n / detectSeconds));
        out.append(String.format(Locale.ROOT,
                "- client side, per upload: FTP session (connect, login, STOR, quit) p50 %.1f ms; "
                        + "upload start until its detect job is acknowledged p50 %.1f ms, p95 %.1f ms%n",
                percentile(client, 0.5), percentile(endToEnd, 0.5), percentile(endToEnd, 0.95)));
        out.append(outcome("paced", drain));
        return out.toString();
    }

    private String burst() throws Exception {
        int n = options.images;
        List<Upload> uploads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            uploads.add(prepare("burst", i));
        }
        log("burst: %d uploads over %d concurrent FTP clients", n, options.clients);
        ExecutorService clients = Executors.newFixedThreadPool(options.clients);
        AtomicInteger next = new AtomicInteger();
        List<Double> client = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < options.clients; c++) {
            running.add(clients.submit(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    Upload upload = uploads.get(i);
                    long sending = System.nanoTime();
                    ftp.upload(upload.file, upload.folder, upload.name);
                    client.add((System.nanoTime() - sending) / 1e6);
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        double uploadSeconds = (System.nanoTime() - started) / 1e9;
        clients.shutdown();
        clients.awaitTermination(10, TimeUnit.SECONDS);
        log("burst: all %d uploads sent in %.1f s; waiting for detection", n, uploadSeconds);
        awaitDetectDone(n, Duration.ofSeconds(Math.max(300, n * 3L)));
        double detectSeconds = (System.nanoTime() - started) / 1e9;
        Duration drain = awaitQuiet();
        double allSeconds = (System.nanoTime() - started) / 1e9;
        JsonObject snapshot = api.json("/api/system/pipeline-latency");
        server.timings().clear();

        StringBuilder out = new StringBuilder();
        out.append("## Mode `burst` (N = ").append(n).append(", ").append(options.clients)
                .append(" concurrent FTP clients)\n\n");
        out.append(table(snapshot)).append('\n');
        out.append(String.format(Locale.ROOT,
                "- **throughput: %.2f images/s** (N / time from the first upload to the last detect job "
                        + "acknowledged, %.1f s)%n", n / detectSeconds, detectSeconds));
        out.append(String.format(Locale.ROOT,
                "- upload rate: %.2f images/s (all %d FTP uploads sent in %.1f s; FTP session p50 %.1f ms)%n",
                n / uploadSeconds, n, uploadSeconds, percentile(client, 0.5)));
        out.append(String.format(Locale.ROOT,
                "- until every batch closed and its event was broadcast: %.1f s%n", allSeconds));
        out.append(overhead(snapshot));
        out.append(outcome("burst", drain));
        return out.toString();
    }

    // ---------------------------------------------------------------------------------------------- waiting

    /**
     * Exact completion of the detect stage: the detector has run {@code expected} times since the timings were
     * cleared and neither {@code detection_queue} nor any of its processing lists holds a job (a job leaves its
     * processing list only once its rows are stored and the aggregator told). Works for images with no kept detection
     * too.
     */
    private void awaitDetectDone(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long inferred = sampleCount(server.timings().snapshot(), "inference");
            if (inferred >= expected
                    && redis.llen(RedisKeys.DETECTION_QUEUE) == 0
                    && InFlight.count(redis, RedisKeys.DETECTION_QUEUE) == 0) {
                return;
            }
            if (redis.llen(RedisKeys.deadLetter(RedisKeys.DETECTION_QUEUE)) > 0) {
                throw new IllegalStateException("a detection job was dead-lettered: "
                        + redis.lrange(RedisKeys.deadLetter(RedisKeys.DETECTION_QUEUE), 0, 0));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s: " + inferred
                        + " of " + expected + " images inferred, detection_queue "
                        + redis.llen(RedisKeys.DETECTION_QUEUE));
            }
            sleep(POLL);
        }
    }

    /**
     * Waits until every batch is closed and analysed: no open batch pointer, the analysis queue and its
     * processing lists empty, and {@code batch_closed_to_broadcast.sample_count} unchanged for twice the idle timeout.
     */
    private Duration awaitQuiet() {
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(120).toNanos();
        Duration stableFor = idleTimeout.multipliedBy(2).compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1) : idleTimeout.multipliedBy(2);
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long count = sampleCount(server.timings().snapshot(), "batch_closed_to_broadcast");
            if (count != lastCount) {
                lastCount = count;
                lastChange = System.nanoTime();
            }
            boolean idle = redis.keys(RedisKeys.OPEN_BATCH_PATTERN).isEmpty()
                    && redis.llen(RedisKeys.ANALYSIS_QUEUE) == 0
                    && InFlight.count(redis, RedisKeys.ANALYSIS_QUEUE) == 0;
            if (!idle) {
                lastChange = System.nanoTime();
            }
            if (idle && System.nanoTime() - lastChange >= stableFor.toNanos()) {
                return Duration.ofNanos(System.nanoTime() - started);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("batches did not settle within 120 s");
            }
            sleep(Duration.ofMillis(50));
        }
    }

    // ---------------------------------------------------------------------------------------------- report

    private String header(Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        out.append("# HSI pipeline benchmark\n\n");
        out.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        out.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores (")
                .append(cpuModel()).append("), `uname -m` ").append(unameM()).append(", max heap ")
                .append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MiB; load average at start ")
                .append(loadAverage()).append(" (other work on the machine skews every number)\n");
        out.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.vendor"))
                .append(")\n");
        out.append("- N: paced ").append(options.runPaced() ? options.paced : 0).append(", burst ")
                .append(options.runBurst() ? options.images : 0).append(", after ").append(options.warmup)
                .append(" warm-up uploads (timings cleared after them)\n");
        out.append("- images: person, dog, horses, eagle in turn, each upload made unique by zero padding; ")
                .append(options.cameras).append(" camera folders\n");
        out.append("- server: ").append(server.config().detect().workers()).append(" detector worker(s), ")
                .append(server.config().detect().inferenceThreads()).append(" ONNX Runtime intra-op thread(s); batch window ")
                .append(env.get("BATCH_WINDOW_SECONDS")).append(" s, idle ").append(env.get("BATCH_IDLE_TIMEOUT_SECONDS"))
                .append(" s, check every ").append(env.get("BATCH_CHECK_INTERVAL_SECONDS"))
                .append(" s; fast path off (threshold ").append(env.get("FAST_PATH_CONFIDENCE_THRESHOLD")).append(")");
        if (!options.env.isEmpty()) {
            out.append("; overrides ").append(options.env);
        }
        out.append('\n');
        return out.toString();
    }

    private static String table(JsonObject snapshot) {
        StringBuilder out = new StringBuilder();
        out.append("| stage | samples | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |\n");
        out.append("|---|---:|---:|---:|---:|---:|\n");
        for (String stage : REPORTED_STAGES) {
            JsonObject s = snapshot.getJsonObject(stage);
            out.append("| ").append(stage).append(" | ").append(s.getInteger("sample_count")).append(" | ")
                    .append(ms(s.getDouble("p50"))).append(" | ").append(ms(s.getDouble("p95"))).append(" | ")
                    .append(ms(s.getDouble("p99"))).append(" | ").append(ms(s.getDouble("max"))).append(" |\n");
        }
        return out.toString();
    }

    /**
     * The target: the pipeline's own overhead (all but inference and the batch wait) under 10 % of
     * inference time at p50.
     */
    private static String overhead(JsonObject snapshot) {
        Double inference = p50(snapshot, "inference");
        Double queued = p50(snapshot, "upload_to_queued");
        Double decode = p50(snapshot, "decode");
        Double stored = p50(snapshot, "detected_to_stored");
        Double broadcast = p50(snapshot, "batch_closed_to_broadcast");
        if (inference == null || queued == null || decode == null || stored == null || broadcast == null) {
            return "- overhead ratio: n/a (a stage has no samples)\n";
        }
        double withDecode = (queued + decode + stored + broadcast) / inference;
        double withoutDecode = (queued + stored + broadcast) / inference;
        return String.format(Locale.ROOT,
                "- **overhead ratio** (p50 upload_to_queued + decode + detected_to_stored + batch_closed_to_broadcast)"
                        + " / p50 inference = (%.1f + %.1f + %.1f + %.1f) / %.1f = **%.1f %%** (target < 10 %%: %s)%n"
                        + "- without decode: (%.1f + %.1f + %.1f) / %.1f = **%.1f %%** (target < 10 %%: %s)%n",
                queued, decode, stored, broadcast, inference, 100 * withDecode, withDecode < 0.10 ? "met" : "NOT met",
                queued, stored, broadcast, inference, 100 * withoutDecode, withoutDecode < 0.10 ? "met" : "NOT met");
    }

    private String outcome(String mode, Duration drain) {
        String pattern = mode + "_cam%";
        long detections = db.count("SELECT count(*) FROM detections WHERE camera_id LIKE ?", pattern);
        long images = db.count("SELECT count(DISTINCT file_path) FROM detections WHERE camera_id LIKE ?", pattern);
        long events = db.count("SELECT count(*) FROM events WHERE camera_id LIKE ?", pattern);
        long fastPath = db.count("SELECT count(*) FROM events WHERE camera_id LIKE ? AND is_fast_path", pattern);
        return String.format(Locale.ROOT,
                "- stored: %d detections from %d images (horses.jpg keeps none); %d events (%d fast path); "
                        + "batches settled %.1f s after the detect stage finished; load average now %s%n",
                detections, images, events, fastPath, drain.toMillis() / 1000.0, loadAverage());
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private record Upload(Path file, String folder, String name) {
    }

    /** The i-th upload of a mode: test image i mod 4, padded with a unique number of zero bytes. */
    private Upload prepare(String mode, int i) {
        int image = i % IMAGES.size();
        int unique = serial.incrementAndGet();
        byte[] original = originals.get(image);
        byte[] content = Arrays.copyOf(original, original.length + unique); // zeros after FFD9: still a whole JPEG
        String imageName = IMAGES.get(image).getFileName().toString();
        Path file = workDir.resolve("uploads").resolve(unique + "-" + imageName);
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String folder = mode + "_cam" + (i % options.cameras + 1);
        String name = String.format(Locale.ROOT, "%s-%05d-%s", mode, i, imageName);
        return new Upload(file, folder, name);
    }

    private static long sampleCount(JsonObject snapshot, String stage) {
        return snapshot.getJsonObject(stage).getLong("sample_count");
    }

    private static Double p50(JsonObject snapshot, String stage) {
        return snapshot.getJsonObject(stage).getDouble("p50");
    }

    private static String ms(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static double percentile(List<Double> values, double quantile) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String unameM() {
        try {
            Process process = new ProcessBuilder("uname", "-m").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor(5, TimeUnit.SECONDS);
            return out.isEmpty() ? System.getProperty("os.arch") : out;
        } catch (IOException e) {
            return System.getProperty("os.arch");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return System.getProperty("os.arch");
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void log(String format, Object... args) {
        PrintStream err = System.err;
        err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }

    private static final class Options {
        int images = 200;
        int paced = -1;
        int warmup = 10;
        int clients = 4;
        int cameras = 4;
        String mode = "both";
        boolean logInfo;
        boolean keep;
        String out;
        final Map<String, String> env = new LinkedHashMap<>();

        boolean runPaced() {
            return mode.equals("both") || mode.equals("paced");
        }

        boolean runBurst() {
            return mode.equals("both") || mode.equals("burst");
        }

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--images" -> o.images = positive(arg, value(args, ++i, arg));
                    case "--paced" -> o.paced = positive(arg, value(args, ++i, arg));
                    case "--warmup" -> o.warmup = nonNegative(arg, value(args, ++i, arg));
                    case "--clients" -> o.clients = positive(arg, value(args, ++i, arg));
                    case "--cameras" -> o.cameras = positive(arg, value(args, ++i, arg));
                    case "--mode" -> {
                        o.mode = value(args, ++i, arg);
                        if (!List.of("paced", "burst", "both").contains(o.mode)) {
                            throw new IllegalArgumentException("--mode must be paced, burst or both");
                        }
                    }
                    case "--env" -> putSetting(arg, value(args, ++i, arg), o.env);
                    case "--out" -> o.out = value(args, ++i, arg);
                    case "--log-info" -> o.logInfo = true;
                    case "--keep" -> o.keep = true;
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (o.paced < 0) {
                o.paced = o.images;
            }
            return o;
        }
    }
}
