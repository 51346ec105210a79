package dev.hsi.support;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server (Vert.x) standing in for a user's webhook endpoint: it records every request (headers, raw body,
 * arrival time) and answers 200, or with the statuses queued by {@link #failNext} first.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Request(String path, MultiMap headers, String body, Instant receivedAt) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final List<Integer> statuses = new ArrayList<>();
    private final AtomicInteger received = new AtomicInteger();

    public WebhookReceiver() {
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            Instant at = Instant.now();
            received.incrementAndGet();
            requests.add(new Request(request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
                    body.toString(), at));
            int status;
            synchronized (statuses) {
                status = statuses.isEmpty() ? 200 : statuses.remove(0);
            }
            request.response().setStatusCode(status).end(status == 200 ? "ok" : "failing on purpose");
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    /** The next requests are answered with these statuses, in order; 200 after that. */
    public void failNext(Integer... statusCodes) {
        synchronized (statuses) {
            statuses.addAll(List.of(statusCodes));
        }
    }

    public int received() {
        return received.get();
    }

    /** The next request (after those already taken), or an AssertionError after the timeout. */
    public Request next(Duration timeout) {
        try {
            Request request = requests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (request == null) {
                throw new AssertionError("No webhook request within " + timeout.toSeconds() + " s");
            }
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Requests already received and not yet taken. */
    public List<Request> drain() {
        List<Request> all = new ArrayList<>();
        requests.drainTo(all);
        return all;
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
