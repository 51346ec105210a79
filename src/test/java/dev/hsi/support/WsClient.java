package dev.hsi.support;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (the JDK's) that collects every text message it receives. */
public final class WsClient implements AutoCloseable {

    private final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    public WsClient(int port, String path) {
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + path),
                        new TextMessages(text -> messages.add(new JsonObject(text))))
                .join();
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The first message (after those already taken) that matches, or an AssertionError after the timeout. */
    public JsonObject awaitMessage(Duration timeout, Predicate<JsonObject> matching) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonObject message = left <= 0 ? null : messages.poll(left, TimeUnit.NANOSECONDS);
                if (message == null) {
                    throw new AssertionError("No matching WebSocket message within " + timeout.toSeconds() + " s");
                }
                if (matching.test(message)) {
                    return message;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    }
}
