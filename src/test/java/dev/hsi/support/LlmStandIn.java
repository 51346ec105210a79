package dev.hsi.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local LLM server that speaks the real wire protocols: llama.cpp's {@code POST /completion} (text in
 * {@code content}) and OpenAI's {@code POST /v1/chat/completions} (text in {@code choices[0].message.content}).
 * Tests script its replies in order; once the script is used up it repeats the last one. Every request is kept.
 */
public final class LlmStandIn implements AutoCloseable {

    /** One scripted reply: an HTTP status with the model's text (wrapped per protocol), a raw body, or a delay. */
    public record Reply(int status, String text, String rawBody, long delayMillis) {

        public static Reply answer(String text) {
            return new Reply(200, text, null, 0);
        }

        public static Reply status(int status) {
            return new Reply(status, null, "{\"error\":\"scripted failure\"}", 0);
        }

        public static Reply raw(String body) {
            return new Reply(200, null, body, 0);
        }

        public Reply after(long millis) {
            return new Reply(status, text, rawBody, millis);
        }
    }

    /** A request as received. */
    public record Received(String path, JsonObject body, String authorization) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final Deque<Reply> script = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();
    private Reply last = Reply.status(500);
    private HttpServer server;

    public LlmStandIn() {
        start(0);
    }

    /** Listens again on {@code port} (after {@link #stop()}). */
    public void start(int port) {
        try {
            server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(buffer -> {
                Reply reply;
                synchronized (this) {
                    received.add(new Received(request.path(), buffer.length() == 0 ? null : buffer.toJsonObject(),
                            request.getHeader("Authorization")));
                    reply = script.isEmpty() ? last : script.poll();
                    last = reply;
                }
                String body = reply.rawBody() != null ? reply.rawBody() : wrap(request.path(), reply.text());
                Runnable respond = () -> request.response().setStatusCode(reply.status())
                        .putHeader("content-type", "application/json").end(body);
                if (reply.delayMillis() > 0) {
                    vertx.setTimer(reply.delayMillis(), id -> {
                        if (!request.response().closed()) {
                            respond.run();
                        }
                    });
                } else {
                    respond.run();
                }
            })).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the LLM stand-in did not start: " + e.getMessage(), e);
        }
    }

    /** Stops listening: connections are then refused, as when the LLM server is down. */
    public void stop() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public synchronized LlmStandIn reply(Reply... replies) {
        script.clear();
        script.addAll(List.of(replies));
        return this;
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    public synchronized void forget() {
        received.clear();
    }

    private static String wrap(String path, String text) {
        if (path.equals("/v1/chat/completions")) {
            return new JsonObject().put("id", "chatcmpl-test").put("object", "chat.completion")
                    .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                            .put("message", new JsonObject().put("role", "assistant").put("content", text))
                            .put("finish_reason", "stop")))
                    .encode();
        }
        return new JsonObject().put("content", text).put("stop", true).put("tokens_predicted", 42).encode();
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
