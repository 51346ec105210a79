package dev.hsi.support;

import io.moquette.broker.Server;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real MQTT 3.1.1 broker (Moquette) in the test JVM, on a free local port, anonymous. It also records what each
 * client published, with the flags it was published with (Moquette does not set the retain flag on retained messages
 * it hands to later subscribers, so that is where a test sees that a message was published retained).
 */
public final class EmbeddedMqttBroker implements AutoCloseable {

    /** One PUBLISH as a client sent it. */
    public record Published(String clientId, String topic, boolean retain, int qos) {
    }

    private final Server server = new Server();
    private final int port;
    private final List<Published> published = new CopyOnWriteArrayList<>();

    public EmbeddedMqttBroker(Path dataDir) {
        port = freePort();
        Properties properties = new Properties();
        properties.setProperty("data_path", dataDir.toAbsolutePath().toString());
        properties.setProperty("host", "127.0.0.1");
        properties.setProperty("port", Integer.toString(port));
        properties.setProperty("websocket_port", "disabled");
        properties.setProperty("allow_anonymous", "true");
        properties.setProperty("persistence_enabled", "false");
        properties.setProperty("netty.epoll", "false");
        try {
            server.startServer(new MemoryConfig(properties), List.of(new AbstractInterceptHandler() {
                @Override
                public String getID() {
                    return "hsi-test-recorder";
                }

                @Override
                public void onPublish(InterceptPublishMessage message) {
                    published.add(new Published(message.getClientID(), message.getTopicName(),
                            message.isRetainFlag(), message.getQos().value()));
                    super.onPublish(message);
                }

                @Override
                public void onSessionLoopError(Throwable error) {
                }
            }));
        } catch (IOException e) {
            throw new UncheckedIOException("the MQTT broker did not start", e);
        }
    }

    public int port() {
        return port;
    }

    /** Every message clients published, in order. */
    public List<Published> published() {
        return List.copyOf(published);
    }

    public String url() {
        return "mqtt://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.stopServer();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
