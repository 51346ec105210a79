package dev.hsi.bench;

import static dev.hsi.bench.BenchArgs.positive;
import static dev.hsi.bench.BenchArgs.putSetting;
import static dev.hsi.bench.BenchArgs.value;

import dev.hsi.app.HsiServer;
import dev.hsi.support.Api;
import dev.hsi.support.Db;
import dev.hsi.support.Ftp;
import dev.hsi.support.Images;
import dev.hsi.support.TestEnv;
import dev.hsi.support.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Alert latency benchmark (a {@code main}, not a test): issue 6's measure, "batch closed" until "alert delivered to the
 * webhook", p50/p95. Starts a whole {@link HsiServer} in-process (embedded PostgreSQL and Redis, a fresh DATA_DIR), a
 * webhook receiver (a Vert.x HTTP server answering 200 at once) and one alert rule (person, webhook, no cooldown).
 * Then, one at a time, it uploads the person photo over FTP (padded, so every upload is new) and waits until the
 * webhook has its alert before the next upload. Fast path off: every event comes from a batch that closes after
 * 0.3 s idle.
 *
 * <p>The figures are the server's own ({@code GET /api/system/pipeline-latency}): {@code batch_closed_to_broadcast}
 * (batch closed until its event is committed and announced: the analyser's share), {@code event_to_alert_delivered}
 * (the alert stage: rules, alert insert, webhook POST until its 2xx) and {@code batch_closed_to_alert_delivered}
 * (the whole measure).
 *
 * <p>LLM: {@code --llm-url URL} sets NEMOTRON_URL to a stand-in of your own; {@code --llm-delay-ms N} starts one here
 * that answers both llama.cpp's {@code POST /completion} and {@code POST /v1/chat/completions} after N ms with a
 * fixed judgement. The report says how many requests the built-in stand-in received: zero means the server did not
 * call an LLM (on this branch the analyser is rule-based and NEMOTRON_URL is not read yet).
 *
 * <pre>
 * mvn -o -q test-compile exec:java -Dexec.mainClass=dev.hsi.bench.AlertLatencyBench -Dexec.args="--events 100"
 * mvn -o -q test-compile exec:java -Dexec.mainClass=dev.hsi.bench.AlertLatencyBench \
 *     -Dexec.args="--events 100 --llm-delay-ms 500"
 * </pre>
 * Options: {@code --events N} (measured, default 100), {@code --warmup N} (default 10), {@code --llm-url URL},
 * {@code --llm-delay-ms N}, {@code --env KEY=VALUE} (repeatable), {@code --out FILE}, {@code --log-info}.
 */
public final class AlertLatencyBench {

    private static final List<String> STAGES = List.of("batch_closed_to_broadcast", "event_to_alert_delivered",
            "batch_closed_to_alert_delivered");
    private static final Duration PER_EVENT_TIMEOUT = Duration.ofSeconds(60);

    private final Options options;
    private final Path workDir;
    private final AtomicInteger llmRequests = new AtomicInteger();
    private byte[] photo;
    private int serial;

    private AlertLatencyBench(Options options, Path workDir) {
        this.options = options;
        this.workDir = workDir;
    }

    public static void main(String[] args) {
        Options options = BenchMain.parseOrExit("AlertLatencyBench", "[--events N] [--warmup N] [--llm-url URL]"
                + " [--llm-delay-ms N] [--env KEY=VALUE]... [--out FILE] [--log-info]", () -> Options.parse(args));
        BenchMain.run("AlertLatencyBench", options.logInfo, options.out, false,
                workDir -> new AlertLatencyBench(options, workDir).run());
    }

    private String run() throws Exception {
        photo = Files.readAllBytes(Images.PERSON);
        Vertx llmVertx = null;
        String llmUrl = options.llmUrl;
        if (llmUrl == null && options.llmDelayMs >= 0) {
            llmVertx = Vertx.vertx();
            llmUrl = startLlmStandIn(llmVertx, options.llmDelayMs);
        }
        try (WebhookReceiver webhook = new WebhookReceiver()) {
            Map<String, String> env = TestEnv.pipeline(Files.createDirectories(workDir.resolve("data")));
            env.put("FAST_PATH_CONFIDENCE_THRESHOLD", "2.0");
            env.put("BATCH_WINDOW_SECONDS", "2");
            env.put("BATCH_IDLE_TIMEOUT_SECONDS", "0.3");
            env.put("BATCH_CHECK_INTERVAL_SECONDS", "0.05");
            env.put("WEBHOOK_URL", webhook.url("/alerts"));
            env.put("WEBHOOK_SECRET", "bench");
            if (llmUrl != null) {
                env.put("NEMOTRON_URL", llmUrl);
            }
            env.putAll(options.env);
            HsiServer server = HsiServer.start(TestEnv.config(env));
            try {
                Api api = new Api(server.apiPort());
                Ftp ftp = new Ftp(server.ftpPort(), "cam", "secret");
                Api.Response rule = api.post("/api/alerts/rules", new JsonObject().put("name", "Bench: any person")
                        .put("severity", "high").put("object_types", new JsonArray().add("person"))
                        .put("cooldown_seconds", 0).put("channels", new JsonArray().add("webhook")));
                if (rule.status() != 201) {
                    throw new IllegalStateException("rule not created: " + rule.body());
                }
                log("warm-up: %d alerts", options.warmup);
                paced(ftp, webhook, options.warmup);
                sleep(500); // the server records the last warm-up alert's delivery just after the webhook got it
                server.timings().clear();
                llmRequests.set(0);
                log("measuring: %d alerts", options.events);
                long started = System.nanoTime();
                paced(ftp, webhook, options.events);
                double seconds = (System.nanoTime() - started) / 1e9;
                sleep(500); // as above: let the last delivery be recorded
                JsonObject latency = api.json("/api/system/pipeline-latency");
                long delivered = new Db(server.database()).count("SELECT count(*) FROM alerts WHERE status = 'delivered'");
                return report(env, latency, seconds, delivered, llmUrl);
            } finally {
                server.close();
            }
        } finally {
            if (llmVertx != null) {
                llmVertx.close().toCompletionStage().toCompletableFuture().join();
            }
        }
    }

    /** Uploads one photo at a time and waits for its alert at the webhook before the next. */
    private void paced(Ftp ftp, WebhookReceiver webhook, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            serial++;
            int before = webhook.received();
            ftp.uploadBytes(Arrays.copyOf(photo, photo.length + serial), "Bench Cam", "snap-" + serial + ".jpg");
            long deadline = System.nanoTime() + PER_EVENT_TIMEOUT.toNanos();
            while (webhook.received() == before) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no alert reached the webhook within "
                            + PER_EVENT_TIMEOUT.toSeconds() + " s of upload " + serial);
                }
                sleep(5);
            }
            webhook.drain();
        }
    }

    private String startLlmStandIn(Vertx vertx, long delayMs) {
        String judgement = new JsonObject().put("risk_score", 72).put("risk_level", "high")
                .put("summary", "A person at the camera").put("reasoning", "Stand-in answer").encode();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            llmRequests.incrementAndGet();
            JsonObject answer = request.path().endsWith("/chat/completions")
                    ? new JsonObject().put("choices", new JsonArray().add(new JsonObject()
                            .put("message", new JsonObject().put("role", "assistant").put("content", judgement))))
                    : new JsonObject().put("content", judgement);
            vertx.setTimer(Math.max(1, delayMs), id -> request.response().putHeader("content-type", "application/json")
                    .end(answer.encode()));
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        return "http://127.0.0.1:" + server.actualPort();
    }

    private String report(Map<String, String> env, JsonObject latency, double seconds, long delivered, String llmUrl) {
        StringBuilder out = new StringBuilder();
        out.append("## AlertLatencyBench ").append(ZonedDateTime.now().withNano(0)).append('\n');
        out.append(String.format(Locale.ROOT, "- %d alerts measured (after %d warm-up) in %.1f s; %d delivered in"
                + " total; %d cores, JDK %s%n", options.events, options.warmup, seconds, delivered,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        out.append("- LLM: ").append(llmUrl == null ? "none (rule-based analyser)" : "NEMOTRON_URL=" + llmUrl
                + (options.llmDelayMs >= 0 && options.llmUrl == null
                        ? " (built-in stand-in, " + options.llmDelayMs + " ms; " + llmRequests.get()
                                + " requests during the measured run)" : "")).append('\n');
        out.append("- settings: ").append(String.join(", ", Stream.of("BATCH_IDLE_TIMEOUT_SECONDS",
                "FAST_PATH_CONFIDENCE_THRESHOLD").map(k -> k + "=" + env.get(k)).toList())).append('\n');
        out.append("\n| interval | samples | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |\n|---|---:|---:|---:|---:|---:|\n");
        for (String stage : STAGES) {
            JsonObject s = latency.getJsonObject(stage, new JsonObject());
            out.append("| ").append(stage).append(" | ").append(s.getInteger("sample_count", 0)).append(" | ")
                    .append(ms(s.getDouble("p50"))).append(" | ").append(ms(s.getDouble("p95"))).append(" | ")
                    .append(ms(s.getDouble("p99"))).append(" | ").append(ms(s.getDouble("max"))).append(" |\n");
        }
        return out.toString();
    }

    private static String ms(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final class Options {
        int events = 100;
        int warmup = 10;
        String llmUrl;
        long llmDelayMs = -1;
        final Map<String, String> env = new LinkedHashMap<>();
        String out;
        boolean logInfo;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--events" -> o.events = positive(arg, value(args, ++i, arg));
                    case "--warmup" -> o.warmup = Math.max(0, Integer.parseInt(value(args, ++i, arg)));
                    case "--llm-url" -> o.llmUrl = value(args, ++i, arg);
                    case "--llm-delay-ms" -> o.llmDelayMs = positive(arg, value(args, ++i, arg));
                    case "--env" -> putSetting(arg, value(args, ++i, arg), o.env);
                    case "--out" -> o.out = value(args, ++i, arg);
                    case "--log-info" -> o.logInfo = true;
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            return o;
        }
    }
}
