package dev.hsi.support;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Properties;

/** A real MQTT 3.1.1 broker (Moquette) in the test JVM, on a free local port, anonymous, nothing on disk. */
public final class EmbeddedMqttBroker implements AutoCloseable {

    private final Server server = new Server();
    private final int port;

    public EmbeddedMqttBroker() {
        port = freePort();
        Properties properties = new Properties();
        properties.setProperty("host", "127.0.0.1");
        properties.setProperty("port", Integer.toString(port));
        properties.setProperty("websocket_port", "disabled");
        properties.setProperty("allow_anonymous", "true");
        properties.setProperty("persistence_enabled", "false");
        properties.setProperty("netty.epoll", "false");
        try {
            server.startServer(new MemoryConfig(properties), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("the MQTT broker did not start", e);
        }
    }

    public int port() {
        return port;
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
