package dev.hsi.support;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real HTTP client (the JDK's) against the server under test. */
public final class Api {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Response get(String path) {
        return getBytes(path);
    }

    /** GET; the response keeps the body as text and as bytes (images), and its headers. */
    public Response getBytes(String path) {
        return send("GET " + path,
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    public Response post(String path, JsonObject body) {
        return send("POST", path, body == null ? null : body.encode());
    }

    /** POST without a body (the DLQ's requeue and clear routes take none). */
    public Response post(String path) {
        return send("POST", path, null);
    }

    /** POST with a body (sent as JSON), and extra headers as name, value pairs. */
    public Response post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send("POST " + path, request.build());
    }

    public Response put(String path, JsonObject body) {
        return send("PUT", path, body.encode());
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    /** Any method with an optional JSON body (sent as given, so tests can send malformed JSON too). */
    public Response send(String method, String path, String body) {
        return send(method, path, body, new String[0]);
    }

    /** Any method with an optional JSON body and extra headers as name, value pairs. */
    public Response send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(method + " " + path, request.build());
    }

    private Response send(String what, HttpRequest request) {
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), new String(response.body()),
                    response.headers().firstValue("content-type").orElse(""), response.body(),
                    response.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonObject json(String path) {
        Response response = get(path);
        if (response.status() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.status() + ": " + response.body());
        }
        return new JsonObject(response.body());
    }

    public record Response(int status, String body, String contentType, byte[] bytes, Map<String, List<String>> headers) {
        public JsonObject json() {
            return new JsonObject(body);
        }

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }
}
