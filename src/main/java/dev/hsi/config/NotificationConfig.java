package dev.hsi.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where alerts go. A webhook (JSON POST, optional extra headers, an HMAC-SHA256 signature when a secret is set) and an
 * MQTT broker (alerts and events on {@code <prefix>/alerts} and {@code <prefix>/events}, with Home Assistant discovery).
 * A channel without its URL or host is off; a rule naming it then records the delivery as failed.
 */
public record NotificationConfig(
        boolean enabled,
        Optional<URI> webhookUrl,
        Map<String, String> webhookHeaders,
        Optional<String> webhookSecret,
        Duration webhookTimeout,
        int maxRetries,
        Duration retryBase,
        Optional<MqttBroker> mqtt,
        String mqttClientId,
        String mqttTopicPrefix,
        boolean mqttDiscovery,
        String mqttDiscoveryPrefix,
        boolean mqttPublishEvents,
        Duration mqttTimeout) {

    public static final String NOTIFICATION_ENABLED = "NOTIFICATION_ENABLED";
    public static final String WEBHOOK_URL = "WEBHOOK_URL";
    /** The original's name for the webhook URL, read when WEBHOOK_URL is unset. */
    public static final String DEFAULT_WEBHOOK_URL = "DEFAULT_WEBHOOK_URL";
    public static final String WEBHOOK_HEADERS = "WEBHOOK_HEADERS";
    public static final String WEBHOOK_SECRET = "WEBHOOK_SECRET";
    public static final String WEBHOOK_TIMEOUT_SECONDS = "WEBHOOK_TIMEOUT_SECONDS";
    /** Retries after a failed send, on either channel (so 1 + this many attempts). */
    public static final String NOTIFICATION_MAX_RETRIES = "NOTIFICATION_MAX_RETRIES";
    /** The first retry's delay; each next one doubles it (plus up to 25 % jitter, at most 30 s). */
    public static final String NOTIFICATION_RETRY_BASE_SECONDS = "NOTIFICATION_RETRY_BASE_SECONDS";
    public static final String MQTT_URL = "MQTT_URL";
    public static final String MQTT_HOST = "MQTT_HOST";
    public static final String MQTT_PORT = "MQTT_PORT";
    public static final String MQTT_USERNAME = "MQTT_USERNAME";
    public static final String MQTT_PASSWORD = "MQTT_PASSWORD";
    public static final String MQTT_CLIENT_ID = "MQTT_CLIENT_ID";
    public static final String MQTT_TOPIC_PREFIX = "MQTT_TOPIC_PREFIX";
    public static final String MQTT_DISCOVERY_ENABLED = "MQTT_DISCOVERY_ENABLED";
    public static final String MQTT_DISCOVERY_PREFIX = "MQTT_DISCOVERY_PREFIX";
    public static final String MQTT_PUBLISH_EVENTS = "MQTT_PUBLISH_EVENTS";
    public static final String MQTT_TIMEOUT_SECONDS = "MQTT_TIMEOUT_SECONDS";

    public NotificationConfig {
        webhookHeaders = Map.copyOf(webhookHeaders);
    }

    static NotificationConfig read(EnvReader env) {
        Optional<URI> webhook = env.optional(WEBHOOK_URL).or(() -> env.optional(DEFAULT_WEBHOOK_URL))
                .flatMap(url -> httpUrl(env, url));
        String topicPrefix = env.string(MQTT_TOPIC_PREFIX, "hsi");
        if (!topicPrefix.matches("[^#+]+") || topicPrefix.startsWith("/") || topicPrefix.endsWith("/")) {
            env.problem(MQTT_TOPIC_PREFIX + " must be a topic without wildcards (+, #) or leading/trailing '/', got '"
                    + topicPrefix + "'");
        }
        return new NotificationConfig(
                env.bool(NOTIFICATION_ENABLED, true),
                webhook,
                headers(env),
                env.optional(WEBHOOK_SECRET),
                Seconds.of(env.decimal(WEBHOOK_TIMEOUT_SECONDS, 30, 0.1, 300)),
                env.integer(NOTIFICATION_MAX_RETRIES, 3, 0, 10),
                Seconds.of(env.decimal(NOTIFICATION_RETRY_BASE_SECONDS, 1.0, 0.01, 60)),
                broker(env),
                env.string(MQTT_CLIENT_ID, "hsi"),
                topicPrefix,
                env.bool(MQTT_DISCOVERY_ENABLED, true),
                env.string(MQTT_DISCOVERY_PREFIX, "homeassistant"),
                env.bool(MQTT_PUBLISH_EVENTS, true),
                Seconds.of(env.decimal(MQTT_TIMEOUT_SECONDS, 10, 0.1, 120)));
    }

    private static Optional<URI> httpUrl(EnvReader env, String url) {
        try {
            URI uri = new URI(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        env.problem(WEBHOOK_URL + " must be an http:// or https:// URL, got '" + url + "'");
        return Optional.empty();
    }

    /** {@code WEBHOOK_HEADERS={"Authorization":"Bearer abc","X-Home":"1"}}: a JSON object of string values. */
    private static Map<String, String> headers(EnvReader env) {
        Optional<String> raw = env.optional(WEBHOOK_HEADERS);
        Map<String, String> headers = new LinkedHashMap<>();
        if (raw.isEmpty()) {
            return headers;
        }
        try {
            JsonObject json = new JsonObject(raw.get());
            json.forEach(entry -> {
                if (entry.getValue() instanceof String value && entry.getKey().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                    headers.put(entry.getKey(), value);
                } else {
                    env.problem(WEBHOOK_HEADERS + ": header '" + entry.getKey()
                            + "' needs a valid name and a string value");
                }
            });
        } catch (DecodeException | ClassCastException e) {
            env.problem(WEBHOOK_HEADERS + " must be a JSON object such as {\"Authorization\": \"Bearer ...\"}");
        }
        return headers;
    }

    /** MQTT_URL ({@code mqtt://user:password@host:1883}, {@code mqtts://...}) or MQTT_HOST; the others override it. */
    private static Optional<MqttBroker> broker(EnvReader env) {
        Optional<String> url = env.optional(MQTT_URL);
        String host = null;
        Integer port = null;
        boolean tls = false;
        String username = null;
        String password = null;
        if (url.isPresent()) {
            try {
                URI uri = new URI(url.get());
                if (!("mqtt".equals(uri.getScheme()) || "mqtts".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new URISyntaxException(url.get(), "not mqtt:// or mqtts://");
                }
                host = uri.getHost();
                tls = "mqtts".equals(uri.getScheme());
                port = uri.getPort() > 0 ? uri.getPort() : null;
                if (uri.getUserInfo() != null) {
                    String[] parts = uri.getUserInfo().split(":", 2);
                    username = parts[0];
                    password = parts.length > 1 ? parts[1] : null;
                }
            } catch (URISyntaxException e) {
                env.problem(MQTT_URL + " must look like mqtt://user:password@host:1883 or mqtts://host:8883");
            }
        }
        host = env.optional(MQTT_HOST).orElse(host);
        int defaultPort = port != null ? port : tls ? 8883 : 1883;
        int finalPort = env.integer(MQTT_PORT, defaultPort, 1, 65535);
        username = env.optional(MQTT_USERNAME).orElse(username);
        password = env.optional(MQTT_PASSWORD).orElse(password);
        if (host == null) {
            return Optional.empty();
        }
        return Optional.of(new MqttBroker(host, finalPort, tls, Optional.ofNullable(username),
                Optional.ofNullable(password)));
    }
}
