package dev.hsi.api;

import dev.hsi.bus.AlertChanged;
import dev.hsi.bus.SecurityEvent;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.http.ServerWebSocket;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/events}: pushes every new event to each connected client as the original's
 * {@code {"type":"event","data":{...}}} and every alert change as {@code {"type":"alert_created","data":{...}}}
 * ({@code alert_updated}, {@code alert_acknowledged}, {@code alert_dismissed}), answers {@code {"type":"ping"}} (or a bare {@code ping}) with
 * {@code {"type":"pong"}}, and pings idle clients itself. Lives on the API verticle's event loop only.
 */
final class EventsWebSocket {

    private static final Logger LOG = LoggerFactory.getLogger(EventsWebSocket.class);
    static final int MAX_MESSAGE_BYTES = 65_536;
    private static final String PING = new JsonObject().put("type", "ping").encode();
    private static final String PONG = new JsonObject().put("type", "pong").encode();

    private final Set<ServerWebSocket> clients = new HashSet<>();

    void accept(ServerWebSocket socket) {
        clients.add(socket);
        socket.closeHandler(() -> clients.remove(socket));
        socket.exceptionHandler(failure -> LOG.debug("WebSocket client error: {}", failure.getMessage()));
        socket.textMessageHandler(text -> onMessage(socket, text));
        LOG.debug("WebSocket client connected ({} now)", clients.size());
    }

    void broadcast(SecurityEvent event) {
        send(event.toMessage());
    }

    /** An alert's change, as the original's {@code alert_created}, {@code alert_updated}, ... messages. */
    void broadcast(AlertChanged alert) {
        send(alert.toMessage());
    }

    private void send(JsonObject message) {
        String text = message.encode();
        clients.forEach(client -> client.writeTextMessageAndForget(text));
    }

    void pingAll() {
        clients.forEach(client -> client.writeTextMessageAndForget(PING));
    }

    int clientCount() {
        return clients.size();
    }

    private void onMessage(ServerWebSocket socket, String text) {
        if (text.trim().equalsIgnoreCase("ping")) {
            socket.writeTextMessageAndForget(PONG);
            return;
        }
        JsonObject message;
        try {
            message = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            socket.writeTextMessageAndForget(error("invalid_json", "Message is not a JSON object"));
            return;
        }
        String type = message.getValue("type") instanceof String s ? s : null;
        if (type == null) {
            socket.writeTextMessageAndForget(error("invalid_message_format", "Message needs a string field 'type'"));
        } else if (type.equals("ping")) {
            socket.writeTextMessageAndForget(PONG);
        } else if (!type.equals("subscribe") && !type.equals("unsubscribe")) {
            socket.writeTextMessageAndForget(error("unknown_message_type", "Unknown message type '" + type
                    + "'; known: ping, subscribe, unsubscribe"));
        }
    }

    private static String error(String code, String message) {
        return new JsonObject().put("type", "error").put("error", code).put("message", message).encode();
    }
}
