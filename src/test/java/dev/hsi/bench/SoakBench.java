package dev.hsi.bench;

import dev.hsi.app.HsiServer;
import dev.hsi.bus.RedisKeys;
import dev.hsi.support.Db;
import dev.hsi.support.Ftp;
import dev.hsi.support.Images;
import dev.hsi.support.InFlight;
import dev.hsi.support.TestEnv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.Jedis;

/**
 * Soak harness for issue 4 (a {@code main}, not a unit test): a whole {@link HsiServer} in-process on embedded
 * PostgreSQL and Redis in a fresh temporary DATA_DIR, fed over real FTP faster than its detector can keep up, then
 * drained; reports what became of every upload.
 *
 * <ol>
 *   <li>rate: keeps a few jobs waiting in {@code detection_queue} for {@code --rate-seconds} (after 10 s of warm-up)
 *       and counts processed uploads: the detector's sustained rate;</li>
 *   <li>soak: uploads at {@code --factor} (1.5) times that rate for {@code --minutes}, with {@code QUEUE_MAX_SIZE}
 *       set to {@code --queue-max} so the queue fills and the overflow policy (dlq) applies;</li>
 *   <li>drain: waits until every confirmed upload is processed or dead-lettered and the queues are empty.</li>
 * </ol>
 *
 * Every upload is distinct: a test photo with a JPEG comment of random bytes after its start marker (random bytes
 * after the end marker would make the upload validator reject it as truncated). Once a second it samples the heap
 * in use and the queue depth, and once a minute the live heap after a full GC ({@link SoakSampler}).
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx1g -Xss4m -cp "target/classes:target/test-classes:$(cat target/cp.txt)" dev.hsi.bench.SoakBench --minutes 10
 * </pre>
 * Options: {@code --minutes N} (10), {@code --queue-max N} (100), {@code --factor X} (1.5), {@code --rate-seconds N}
 * (30), {@code --clients N} (FTP clients, 6), {@code --cameras N} (4), {@code --env KEY=VALUE} (repeatable),
 * {@code --out FILE}, {@code --log-info}.
 */
public final class SoakBench {

    private static final List<Path> PHOTOS = List.of(Images.PERSON, Images.DOG, Images.HORSES, Images.EAGLE);
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(20);

    private final Options options;
    private final Path workDir;
    private final List<byte[]> photos = new ArrayList<>();
    private final AtomicInteger serial = new AtomicInteger();
    /** Confirmed uploads: server path to content hash. */
    private final Map<String, String> confirmed = new ConcurrentHashMap<>();
    private final AtomicInteger failed = new AtomicInteger();
    private HsiServer server;
    private Ftp ftp;
    private Db db;
    private Jedis redis;
    private Path basePath;
    private final Instant started = Instant.now();

    private SoakBench(Options options, Path workDir) {
        this.options = options;
        this.workDir = workDir;
    }

    public static void main(String[] args) {
        Options options = BenchMain.parseOrExit("SoakBench", "[--minutes N] [--queue-max N] [--factor X]"
                + " [--rate-seconds N] [--clients N] [--cameras N] [--env KEY=VALUE]... [--out FILE] [--log-info]", () -> Options.parse(args));
        BenchMain.run("SoakBench", options.logInfo, options.out, false,
                workDir -> new SoakBench(options, workDir).run());
    }

    private String run() throws Exception {
        for (Path photo : PHOTOS) {
            photos.add(Files.readAllBytes(photo));
        }
        Path dataDir = Files.createDirectories(workDir.resolve("data"));
        Map<String, String> env = TestEnv.pipeline(dataDir);
        env.put("QUEUE_MAX_SIZE", String.valueOf(options.queueMax));
        env.put("QUEUE_OVERFLOW_POLICY", "dlq");
        env.put("DEDUPE_TTL_SECONDS", "3600");
        env.putAll(options.env);
        server = HsiServer.start(TestEnv.config(env));
        basePath = server.config().ingest().basePath();
        ftp = new Ftp(server.ftpPort(), "cam", "secret");
        db = new Db(server.database());
        redis = new Jedis(URI.create(server.redisUrl()));
        try (SoakSampler sampler = new SoakSampler(server.redisUrl())) {
            double rate = measureRate();
            double target = rate * options.factor;
            log("detector sustains %.2f images/s; uploading at %.2f images/s for %d min", rate, target,
                    options.minutes);
            long soakStart = System.nanoTime();
            int sent = soak(target);
            double soakSeconds = (System.nanoTime() - soakStart) / 1e9;
            long drainStart = System.nanoTime();
            SoakOutcome outcome = drain();
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            return report(env, rate, target, sent, soakSeconds, drainSeconds, outcome, sampler);
        } finally {
            redis.close();
            server.close();
        }
    }

    /** Keeps jobs waiting (never more than half the queue bound) and counts what the detect stage gets through. */
    private double measureRate() throws Exception {
        int keepWaiting = Math.max(2, Math.min(options.queueMax / 2, 16));
        long warmUpEnd = System.nanoTime() + WARM_UP.toNanos();
        long measureEnd = warmUpEnd + Duration.ofSeconds(options.rateSeconds).toNanos();
        long processedAtStart = -1;
        int i = 0;
        while (System.nanoTime() < measureEnd) {
            if (processedAtStart < 0 && System.nanoTime() >= warmUpEnd) {
                processedAtStart = processed("rate_%");
            }
            if (redis.llen(RedisKeys.DETECTION_QUEUE) < keepWaiting) {
                upload("rate", i++);
            } else {
                Thread.sleep(5);
            }
        }
        return (processed("rate_%") - processedAtStart) / (double) options.rateSeconds;
    }

    /** Uploads at a fixed rate over several FTP clients; returns how many uploads were started. */
    private int soak(double perSecond) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(options.clients);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger started = new AtomicInteger();
        long periodMicros = Math.max(1, Math.round(1_000_000 / perSecond));
        ticker.scheduleAtFixedRate(() -> {
            int n = started.getAndIncrement();
            clients.execute(() -> upload("soak", n));
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        long end = System.nanoTime() + Duration.ofMinutes(options.minutes).toNanos();
        long nextReport = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(200);
            if (System.nanoTime() >= nextReport) {
                nextReport += Duration.ofMinutes(1).toNanos();
                log("soak: %d uploads started, %d confirmed, %d processed, %d in the DLQ, queue depth %d",
                        started.get(), confirmed.size(), processed("soak_%"),
                        redis.llen(RedisKeys.deadLetter(RedisKeys.DETECTION_QUEUE)),
                        redis.llen(RedisKeys.DETECTION_QUEUE));
            }
        }
        ticker.shutdownNow();
        clients.shutdown();
        clients.awaitTermination(5, TimeUnit.MINUTES);
        return started.get();
    }

    private SoakOutcome drain() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        Map<String, String> soakUploads = soakUploads();
        while (true) {
            SoakOutcome outcome = SoakOutcome.read(db, redis, soakUploads, "soak_%");
            boolean empty = redis.llen(RedisKeys.DETECTION_QUEUE) == 0 && redis.llen(RedisKeys.ANALYSIS_QUEUE) == 0
                    && InFlight.count(redis, RedisKeys.DETECTION_QUEUE) == 0
                    && InFlight.count(redis, RedisKeys.ANALYSIS_QUEUE) == 0;
            if ((outcome.settled() && empty) || System.nanoTime() > deadline) {
                return outcome;
            }
            Thread.sleep(1000);
        }
    }

    private Map<String, String> soakUploads() {
        Map<String, String> soak = new LinkedHashMap<>();
        String prefix = basePath.resolve("soak_").toString();
        confirmed.forEach((path, hash) -> {
            if (path.startsWith(prefix)) {
                soak.put(path, hash);
            }
        });
        return soak;
    }

    /** One distinct upload: photo n mod 4 with a comment of random bytes, to camera folder n mod cameras. */
    private void upload(String phase, int n) {
        byte[] photo = photos.get(n % photos.size());
        byte[] random = new byte[16 + ThreadLocalRandom.current().nextInt(240)];
        ThreadLocalRandom.current().nextBytes(random);
        ByteArrayOutputStream out = new ByteArrayOutputStream(photo.length + random.length + 4);
        out.write(photo, 0, 2); // SOI
        out.write(0xFF);
        out.write(0xFE); // COM: its bytes are free-form and do not change the picture
        out.write((random.length + 2) >> 8);
        out.write((random.length + 2) & 0xFF);
        out.writeBytes(random);
        out.write(photo, 2, photo.length - 2);
        byte[] content = out.toByteArray();
        String folder = phase + "_cam" + (n % options.cameras + 1);
        String name = String.format(Locale.ROOT, "%s-%06d-%d.jpg", phase, n, serial.incrementAndGet());
        try {
            ftp.uploadBytes(content, folder, name);
            confirmed.put(basePath.resolve(folder).resolve(name).toString(), sha256(content));
        } catch (IOException | RuntimeException e) {
            failed.incrementAndGet();
        }
    }

    private long processed(String cameraPattern) {
        return db.count("SELECT count(*) FROM processed_uploads WHERE camera_id LIKE ?", cameraPattern);
    }

    private String report(Map<String, String> env, double rate, double target, int sent, double soakSeconds,
            double drainSeconds, SoakOutcome outcome, SoakSampler sampler) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "## Soak: %d min at %.1fx the detector's rate, QUEUE_MAX_SIZE %d%n%n",
                options.minutes, options.factor, options.queueMax));
        out.append(String.format(Locale.ROOT, "- started %s; JVM max heap %d MiB; %d cores; load average at the end %s;"
                        + " DETECTOR_BACKEND %s, DETECTOR_MAX_BATCH %s%n", started,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), loadAverage(),
                env.getOrDefault("DETECTOR_BACKEND", "auto"), env.getOrDefault("DETECTOR_MAX_BATCH", "default")));
        out.append(String.format(Locale.ROOT, "- detector's sustained rate: %.2f images/s (over %d s, after %d s"
                        + " warm-up); upload rate asked: %.2f images/s%n", rate, options.rateSeconds,
                WARM_UP.toSeconds(), target));
        out.append(String.format(Locale.ROOT, "- soak: %d uploads started in %.0f s (%.2f/s); %d confirmed by FTP, %d"
                        + " refused or failed (a camera would resend those); drained in %.0f s%n",
                sent, soakSeconds, sent / soakSeconds, outcome.uploaded(), failed.get(), drainSeconds));
        out.append("\n| images in | stored | with detections | in DLQ | lost | duplicated |\n");
        out.append("|---:|---:|---:|---:|---:|---:|\n");
        out.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | **%d** | **%d** |%n%n", outcome.uploaded(),
                outcome.processed(), outcome.withDetections(), outcome.deadLettered(), outcome.lost().size(),
                outcome.duplicated().size()));
        out.append("- DLQ by reason: ").append(outcome.dlqReasons()).append('\n');
        out.append(String.format(Locale.ROOT, "- peak queue depth (LLEN detection_queue, sampled every second): %d of"
                + " at most %d%n", sampler.peakQueueDepth(), options.queueMax));
        out.append(String.format(Locale.ROOT, "- peak heap in use (sampled every second): %d MiB; peak live heap (after"
                        + " a full GC once a minute): %d MiB; at the last one: %d MiB (%d samples)%n",
                sampler.peakHeapUsed() >> 20, sampler.peakAfterGc() >> 20, sampler.lastAfterGc() >> 20,
                sampler.samples()));
        out.append("- live heap after the full GC at the end of each minute (MiB): ")
                .append(sampler.afterGcPerMinute().stream().map(b -> String.valueOf(b >> 20)).toList()).append('\n');
        if (!outcome.lost().isEmpty()) {
            out.append("- LOST: ").append(outcome.lost().stream().limit(20).toList()).append('\n');
        }
        if (!outcome.duplicated().isEmpty()) {
            out.append("- DUPLICATED: ").append(outcome.duplicated().stream().limit(20).toList()).append('\n');
        }
        return out.toString();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[soak] " + format + "%n", args);
    }

    private static final class Options {
        int minutes = 10;
        int queueMax = 100;
        double factor = 1.5;
        int rateSeconds = 30;
        int clients = 6;
        int cameras = 4;
        boolean logInfo;
        String out;
        final Map<String, String> env = new LinkedHashMap<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (arg) {
                    case "--minutes" -> o.minutes = positive(arg, value);
                    case "--queue-max" -> o.queueMax = positive(arg, value);
                    case "--rate-seconds" -> o.rateSeconds = positive(arg, value);
                    case "--clients" -> o.clients = positive(arg, value);
                    case "--cameras" -> o.cameras = positive(arg, value);
                    case "--factor" -> o.factor = Double.parseDouble(required(arg, value));
                    case "--out" -> o.out = required(arg, value);
                    case "--env" -> {
                        String kv = required(arg, value);
                        int eq = kv.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--env needs KEY=VALUE, got " + kv);
                        }
                        o.env.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    case "--log-info" -> {
                        o.logInfo = true;
                        i--;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + arg + "; see the class comment");
                }
                i++;
            }
            return o;
        }

        private static String required(String option, String value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }

        private static int positive(String option, String value) {
            return BenchArgs.positive(option, required(option, value));
        }
    }
}
