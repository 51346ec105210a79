package dev.hsi.support;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real browser for page tests: Debian's headless Chromium, driven over the Chrome DevTools Protocol with the
 * JDK's WebSocket client (no browser download, no driver). One page per instance.
 */
public final class HeadlessBrowser implements AutoCloseable {

    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://[^\\s]+)");
    private static final String CHROMIUM = "/usr/bin/chromium";

    private final Process process;
    private final Path profile;
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    public HeadlessBrowser(String url) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            throw new IllegalStateException("Chromium is needed for the page tests: apt-get install chromium"
                    + " (.ci/run installs it)");
        }
        profile = Files.createTempDirectory("hsi-chromium");
        process = new ProcessBuilder(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).start();
        String browserEndpoint = awaitDevToolsEndpoint();
        URI endpoint = URI.create(browserEndpoint);
        String http = "http://" + endpoint.getHost() + ":" + endpoint.getPort();
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(
                        URI.create(http + "/json/new?" + URLEncoder.encode(url, StandardCharsets.UTF_8)))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String pageSocket = new JsonObject(created.body()).getString("webSocketDebuggerUrl");
        page = client.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new TextMessages(this::onMessage)).join();
    }

    /** Evaluates a JavaScript expression in the page and returns its value (strings, numbers, booleans). */
    public Object evaluate(String expression) {
        JsonObject result = call("Runtime.evaluate", new JsonObject().put("expression", expression)
                .put("returnByValue", true));
        return result.getJsonObject("result").getValue("value");
    }

    public void screenshot(Path file) throws IOException {
        String png = call("Page.captureScreenshot", new JsonObject()).getString("data");
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(png));
    }

    private JsonObject call(String method, JsonObject params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        page.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true).join();
        try {
            JsonObject message = reply.get(20, TimeUnit.SECONDS);
            if (message.containsKey("error")) {
                throw new IllegalStateException(method + " failed: " + message.getJsonObject("error"));
            }
            return message.getJsonObject("result");
        } catch (Exception e) {
            throw new IllegalStateException(method + " got no answer: " + e.getMessage(), e);
        }
    }

    private String awaitDevToolsEndpoint() throws IOException {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String line;
        while (System.nanoTime() < deadline && (line = output.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher matcher = DEVTOOLS.matcher(line);
            if (matcher.find()) {
                Thread drain = new Thread(() -> output.lines().forEach(ignored -> { }), "chromium-output");
                drain.setDaemon(true);
                drain.start();
                return matcher.group(1);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("Chromium did not open its DevTools endpoint:\n" + seen);
    }

    @Override
    public void close() {
        page.abort();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onMessage(String text) {
        JsonObject message = new JsonObject(text);
        Integer id = message.getInteger("id");
        if (id != null && pending.containsKey(id)) {
            pending.remove(id).complete(message);
        }
    }
}
