package dev.hsi.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The notification channels as configured, without secrets: the webhook URL without user info, header names
 * without values, whether a signing secret is set, the MQTT broker without its password.
 */
public record NotificationSettings(
        boolean enabled,
        List<String> availableChannels,
        String webhookUrl,
        double webhookTimeoutSeconds,
        int maxRetries,
        List<String> webhookHeaderNames,
        boolean webhookSigned,
        String mqttHost,
        int mqttPort,
        boolean mqttTls,
        String mqttUsername,
        String mqttTopicPrefix,
        String mqttDiscoveryPrefix,
        boolean mqttConnected) {

    public NotificationSettings {
        availableChannels = List.copyOf(availableChannels);
        webhookHeaderNames = List.copyOf(webhookHeaderNames);
    }

    /** The original's {@code GET /api/notification/config} fields, with the MQTT channel added. */
    public JsonObject toJson() {
        boolean webhook = webhookUrl != null;
        boolean mqtt = mqttHost != null;
        return new JsonObject()
                .put("notification_enabled", enabled)
                .put("email_configured", false)
                .put("webhook_configured", webhook)
                .put("push_configured", false)
                .put("mqtt_configured", mqtt)
                .put("available_channels", new JsonArray(availableChannels))
                .put("default_webhook_url", webhookUrl)
                .put("webhook_timeout_seconds", webhook ? webhookTimeoutSeconds : null)
                .put("max_retries", maxRetries)
                .put("webhook_header_names", new JsonArray(webhookHeaderNames))
                .put("webhook_signed", webhook && webhookSigned)
                .put("mqtt_host", mqttHost)
                .put("mqtt_port", mqtt ? mqttPort : null)
                .put("mqtt_tls", mqtt ? mqttTls : null)
                .put("mqtt_username", mqttUsername)
                .put("mqtt_topic_prefix", mqtt ? mqttTopicPrefix : null)
                .put("mqtt_discovery_prefix", mqtt ? mqttDiscoveryPrefix : null)
                .put("mqtt_connected", mqtt && mqttConnected);
    }
}
