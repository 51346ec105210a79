package dev.hsi.faults;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for the remote detector service, speaking its contract (multipart {@code POST /detect}, field
 * {@code file}; answer {@code {"detections":[{"class","confidence","bbox"}],"image_width","image_height"}}). It sees
 * one person in every image, except that it answers HTTP 500 for the images whose SHA-256 it was told to fail on,
 * for as long as the fault is on. It counts the requests per image, so a test can tell how often each ran.
 */
final class FlakyDetector implements AutoCloseable {

    static final String FAULT = "CUDA error: an illegal memory access was encountered";

    private final Vertx vertx = Vertx.vertx();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> calls = new ConcurrentHashMap<>();
    private volatile boolean faultOn = true;
    private final HttpServer server;

    FlakyDetector() throws Exception {
        server = vertx.createHttpServer().requestHandler(request -> {
            if (request.method() != HttpMethod.POST || !request.path().equals("/detect")) {
                request.response().setStatusCode(404).end(new JsonObject().put("detail", "Not Found").encode());
                return;
            }
            request.setExpectMultipart(true);
            Buffer image = Buffer.buffer();
            request.uploadHandler(upload -> {
                if (upload.name().equals("file")) {
                    upload.handler(image::appendBuffer);
                }
            });
            request.endHandler(done -> answer(request.response(), image));
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** From now on the image with this content hash gets HTTP 500 while the fault is on. */
    void failOn(String sha256) {
        failing.add(sha256);
    }

    /** The fault is fixed: every image gets its detections. */
    void clearFault() {
        faultOn = false;
    }

    /** Requests received for the image with this content hash. */
    int calls(String sha256) {
        return calls.getOrDefault(sha256, 0);
    }

    private void answer(io.vertx.core.http.HttpServerResponse response, Buffer image) {
        if (image.length() == 0) {
            response.setStatusCode(422).end(new JsonObject().put("detail", "field 'file' is required").encode());
            return;
        }
        String hash = sha256(image.getBytes());
        calls.merge(hash, 1, Integer::sum);
        response.putHeader("content-type", "application/json");
        if (faultOn && failing.contains(hash)) {
            response.setStatusCode(500).end(new JsonObject().put("detail", FAULT).encode());
            return;
        }
        JsonObject person = new JsonObject().put("class", "person").put("confidence", 0.91)
                .put("bbox", new JsonObject().put("x", 120).put("y", 60).put("width", 90).put("height", 240));
        response.end(new JsonObject().put("detections", new JsonArray().add(person))
                .put("inference_time_ms", 12.5).put("image_width", 640).put("image_height", 424)
                .put("model", "stand-in").encode());
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
