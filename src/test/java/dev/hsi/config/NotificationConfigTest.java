package dev.hsi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NotificationConfigTest {

    @Test
    @DisplayName("Without settings no channel is configured, with the original's webhook timeout and three retries")
    void defaults() {
        NotificationConfig config = AppConfig.fromEnv(Map.of()).notification();

        assertThat(config.enabled()).isTrue();
        assertThat(config.webhookUrl()).isEmpty();
        assertThat(config.mqtt()).isEmpty();
        assertThat(config.webhookTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.maxRetries()).isEqualTo(3);
        assertThat(config.mqttTopicPrefix()).isEqualTo("hsi");
        assertThat(config.mqttDiscoveryPrefix()).isEqualTo("homeassistant");
    }

    @Test
    @DisplayName("The original's DEFAULT_WEBHOOK_URL works; WEBHOOK_URL wins over it; headers are a JSON object")
    void webhook() {
        assertThat(AppConfig.fromEnv(Map.of("DEFAULT_WEBHOOK_URL", "https://old.example/hook")).notification()
                .webhookUrl()).contains(URI.create("https://old.example/hook"));
        NotificationConfig config = AppConfig.fromEnv(Map.of("DEFAULT_WEBHOOK_URL", "https://old.example/hook",
                "WEBHOOK_URL", "http://new.example:8080/hsi", "WEBHOOK_HEADERS", "{\"Authorization\":\"Bearer t\"}",
                "WEBHOOK_SECRET", "s")).notification();
        assertThat(config.webhookUrl()).contains(URI.create("http://new.example:8080/hsi"));
        assertThat(config.webhookHeaders()).containsExactly(Map.entry("Authorization", "Bearer t"));
        assertThat(config.webhookSecret()).contains("s");
    }

    @Test
    @DisplayName("MQTT_URL gives host, port, TLS and credentials; the separate variables override its parts")
    void mqtt() {
        MqttBroker broker = AppConfig.fromEnv(Map.of("MQTT_URL", "mqtts://ha:pw@broker.lan")).notification().mqtt()
                .orElseThrow();
        assertThat(broker).isEqualTo(new MqttBroker("broker.lan", 8883, true, Optional.of("ha"), Optional.of("pw")));
        MqttBroker overridden = AppConfig.fromEnv(Map.of("MQTT_URL", "mqtt://ha:pw@broker.lan:1884",
                "MQTT_PASSWORD", "secret2", "MQTT_PORT", "1885")).notification().mqtt().orElseThrow();
        assertThat(overridden).isEqualTo(new MqttBroker("broker.lan", 1885, false, Optional.of("ha"),
                Optional.of("secret2")));
        assertThat(AppConfig.fromEnv(Map.of("MQTT_HOST", "10.0.0.5")).notification().mqtt().orElseThrow().port())
                .isEqualTo(1883);
    }

    @Test
    @DisplayName("Bad notification settings are all reported at start")
    void badSettings() {
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> AppConfig.fromEnv(Map.of(
                "WEBHOOK_URL", "ftp://example.org", "WEBHOOK_HEADERS", "Authorization: x", "MQTT_URL", "http://x",
                "MQTT_TOPIC_PREFIX", "home/#", "NOTIFICATION_ENABLED", "maybe", "NOTIFICATION_MAX_RETRIES", "11")));

        assertThat(error.getMessage())
                .contains("WEBHOOK_URL must be an http:// or https:// URL, got 'ftp://example.org'")
                .contains("WEBHOOK_HEADERS must be a JSON object")
                .contains("MQTT_URL must look like mqtt://user:password@host:1883")
                .contains("MQTT_TOPIC_PREFIX must be a topic without wildcards")
                .contains("NOTIFICATION_ENABLED must be true or false, got 'maybe'")
                .contains("NOTIFICATION_MAX_RETRIES must be between 0 and 10, got 11");
    }
}
