package dev.hsi.notify;

import dev.hsi.config.NotificationConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The MQTT topics, and the Home Assistant MQTT discovery configs that make HSI appear there as a device without any
 * YAML: published retained under {@code <discovery prefix>/<component>/<node>/<object>/config} on every connection.
 * <ul>
 *   <li>{@code binary_sensor .../alert}: on when an alert arrives, off again after five minutes;</li>
 *   <li>{@code sensor .../last_alert}: the last alert's severity, the alert as attributes;</li>
 *   <li>{@code sensor .../last_event_risk}: the last event's risk score, the event as attributes.</li>
 * </ul>
 * All share {@code <prefix>/status} as availability ({@code online}, or the broker's last will {@code offline}).
 */
final class HomeAssistantDiscovery {

    static final String ONLINE = "online";
    static final String OFFLINE = "offline";
    private static final int ALERT_ON_SECONDS = 300;

    private final NotificationConfig config;
    private final String node;

    HomeAssistantDiscovery(NotificationConfig config) {
        this.config = config;
        // discovery node ids allow letters, digits, underscore and dash only
        this.node = config.mqttClientId().replaceAll("[^A-Za-z0-9_-]", "_").toLowerCase(Locale.ROOT);
    }

    String alertsTopic() {
        return config.mqttTopicPrefix() + "/alerts";
    }

    String eventsTopic() {
        return config.mqttTopicPrefix() + "/events";
    }

    String statusTopic() {
        return config.mqttTopicPrefix() + "/status";
    }

    /** Topic to config, in publishing order. */
    Map<String, JsonObject> configs() {
        Map<String, JsonObject> configs = new LinkedHashMap<>();
        configs.put(topic("binary_sensor", "alert"), entity("alert", "Alert", "mdi:shield-alert")
                .put("state_topic", alertsTopic())
                .put("value_template", "ON")
                .put("payload_on", "ON")
                .put("off_delay", ALERT_ON_SECONDS)
                .put("device_class", "safety")
                .put("json_attributes_topic", alertsTopic())
                .put("json_attributes_template", "{{ value_json.alert | tojson }}"));
        configs.put(topic("sensor", "last_alert"), entity("last_alert", "Last alert", "mdi:alert")
                .put("state_topic", alertsTopic())
                .put("value_template", "{{ value_json.alert.severity }}")
                .put("json_attributes_topic", alertsTopic())
                .put("json_attributes_template", "{{ value_json.alert | tojson }}"));
        configs.put(topic("sensor", "last_event_risk"), entity("last_event_risk", "Last event risk", "mdi:cctv")
                .put("state_topic", eventsTopic())
                .put("value_template", "{{ value_json.risk_score }}")
                .put("state_class", "measurement")
                .put("json_attributes_topic", eventsTopic()));
        return configs;
    }

    private String topic(String component, String object) {
        return config.mqttDiscoveryPrefix() + "/" + component + "/" + node + "/" + object + "/config";
    }

    private JsonObject entity(String object, String name, String icon) {
        return new JsonObject()
                .put("name", name)
                .put("unique_id", node + "_" + object)
                .put("object_id", node + "_" + object)
                .put("icon", icon)
                .put("availability_topic", statusTopic())
                .put("payload_available", ONLINE)
                .put("payload_not_available", OFFLINE)
                .put("device", new JsonObject()
                        .put("identifiers", new JsonArray().add(node))
                        .put("name", "HSI home security")
                        .put("manufacturer", "HSI")
                        .put("model", "HSI server"));
    }
}
