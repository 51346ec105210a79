package dev.hsi.support;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A WebSocket listener that joins fragmented text frames and hands each whole message on. */
final class TextMessages implements WebSocket.Listener {

    private final StringBuilder partial = new StringBuilder();
    private final Consumer<String> onMessage;

    TextMessages(Consumer<String> onMessage) {
        this.onMessage = onMessage;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String message = partial.toString();
            partial.setLength(0);
            onMessage.accept(message);
        }
        webSocket.request(1);
        return null;
    }
}
