package dev.hsi.config;

import java.util.Optional;

/** An MQTT broker to publish to: {@code tls} for {@code mqtts://}. */
public record MqttBroker(String host, int port, boolean tls, Optional<String> username, Optional<String> password) {
}
