package dev.hsi.notify;

import dev.hsi.bus.NotificationSettings;
import dev.hsi.bus.NotificationTestRequested;
import dev.hsi.bus.NotificationTestResult;
import dev.hsi.config.NotificationConfig;
import dev.hsi.resilience.Breaker;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification channels a rule can name ({@code webhook}, {@code mqtt}), behind one entry point. A send never
 * fails: its {@link Delivery} says whether the channel took the message, after how many attempts, or why not (a
 * channel that is not configured, or notifications switched off, is a failed delivery with that reason).
 */
public final class Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final NotificationConfig config;
    private final WebhookNotifier webhook;
    private final MqttNotifier mqtt;

    /** @param breaker the {@code notifications} circuit breaker, which guards the webhook */
    public Notifier(Vertx vertx, NotificationConfig config, Breaker breaker) {
        this.config = config;
        this.webhook = new WebhookNotifier(vertx, config, breaker);
        this.mqtt = config.mqtt().map(broker -> new MqttNotifier(vertx, config, broker)).orElse(null);
    }

    /** Connects to the MQTT broker if one is configured; a broker that is down is logged, not fatal (retried later). */
    public Uni<Void> start() {
        if (mqtt == null || !config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return mqtt.connect().onFailure().recoverWithItem(failure -> {
            LOG.warn("MQTT broker not reachable at start ({}); alerts for the mqtt channel will retry it",
                    Retries.describe(failure));
            return null;
        });
    }

    /** Sends an alert (or a test message: {@code kind} = test) on one channel. */
    public Uni<Delivery> send(String channel, String kind, String deliveryId, JsonObject payload) {
        if (!config.enabled()) {
            return failed(channel, "notifications are switched off (NOTIFICATION_ENABLED=false)");
        }
        return switch (channel) {
            case WebhookNotifier.CHANNEL -> config.webhookUrl()
                    .map(url -> webhook.send(url, kind, deliveryId, payload.encode()))
                    .orElseGet(() -> failed(channel, "no webhook URL is configured (WEBHOOK_URL)"));
            case MqttNotifier.CHANNEL -> mqtt == null
                    ? failed(channel, "no MQTT broker is configured (MQTT_URL or MQTT_HOST)")
                    : mqtt.publishAlert(payload.encode());
            default -> failed(channel, "unknown channel '" + channel + "'");
        };
    }

    /** Every event on {@code <prefix>/events}, when MQTT is configured; best effort, failures only logged. */
    public Uni<Void> publishEvent(JsonObject event) {
        if (mqtt == null || !config.enabled() || !config.mqttPublishEvents()) {
            return Uni.createFrom().voidItem();
        }
        return mqtt.publishEvent(event.encode()).onFailure().recoverWithItem(failure -> {
            LOG.warn("Publishing event {} on MQTT failed: {}", event.getValue("id"), Retries.describe(failure));
            return null;
        });
    }

    /** {@code POST /api/notification/test}: a test alert on one channel, answered in the original's shape. */
    public Uni<NotificationTestResult> test(NotificationTestRequested request) {
        String channel = request.channel();
        String id = "test-notification-" + Instant.now().toEpochMilli();
        JsonObject payload = testPayload(id, channel);
        Uni<Delivery> sent;
        if (channel.equals(WebhookNotifier.CHANNEL) && request.webhookUrl() != null) {
            Optional<URI> url = httpUrl(request.webhookUrl());
            if (url.isEmpty()) {
                return Uni.createFrom().item(new NotificationTestResult(channel, false, "invalid webhook_url",
                        "webhook_url must be an http:// or https:// URL"));
            }
            sent = config.enabled() ? webhook.send(url.get(), "test", id, payload.encode())
                    : failed(channel, "notifications are switched off (NOTIFICATION_ENABLED=false)");
        } else {
            sent = send(channel, "test", id, payload);
        }
        return sent.map(delivery -> delivery.delivered()
                ? new NotificationTestResult(channel, true, null, "Test " + channel + " notification sent"
                        + " (" + delivery.attempts() + (delivery.attempts() == 1 ? " attempt)" : " attempts)"))
                : new NotificationTestResult(channel, false, delivery.error(),
                        "Failed to send test " + channel + " notification: " + delivery.error()));
    }

    public NotificationSettings settings() {
        List<String> available = new ArrayList<>();
        config.webhookUrl().ifPresent(url -> available.add(WebhookNotifier.CHANNEL));
        config.mqtt().ifPresent(broker -> available.add(MqttNotifier.CHANNEL));
        return new NotificationSettings(
                config.enabled(),
                available,
                config.webhookUrl().map(Notifier::withoutUserInfo).orElse(null),
                config.webhookTimeout().toMillis() / 1000.0,
                config.maxRetries(),
                List.copyOf(config.webhookHeaders().keySet()),
                config.webhookSecret().isPresent(),
                config.mqtt().map(broker -> broker.host()).orElse(null),
                config.mqtt().map(broker -> broker.port()).orElse(0),
                config.mqtt().map(broker -> broker.tls()).orElse(false),
                config.mqtt().flatMap(broker -> broker.username()).orElse(null),
                config.mqttTopicPrefix(),
                config.mqttDiscoveryPrefix(),
                mqtt != null && mqtt.connected());
    }

    public Uni<Void> stop() {
        Uni<Void> closeMqtt = mqtt == null ? Uni.createFrom().voidItem() : mqtt.close();
        return closeMqtt.onItem().transformToUni(ignored -> webhook.close()).onFailure().recoverWithNull();
    }

    private static JsonObject testPayload(String id, String channel) {
        return new JsonObject()
                .put("type", "test")
                .put("alert", new JsonObject()
                        .put("id", id)
                        .put("severity", "low")
                        .put("status", "pending")
                        .put("dedup_key", "test-notification")
                        .put("channels", new JsonArray().add(channel))
                        .put("created_at", Instant.now().toString())
                        .put("metadata", new JsonObject()
                                .put("rule_name", "Test Notification")
                                .put("matched_conditions", new JsonArray()
                                        .add("This is a test notification to verify configuration"))));
    }

    private static Uni<Delivery> failed(String channel, String reason) {
        return Uni.createFrom().item(Delivery.failed(channel, 0, reason));
    }

    private static Optional<URI> httpUrl(String text) {
        try {
            URI uri = new URI(text);
            boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            return http && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** Credentials in a URL are secrets too. */
    private static String withoutUserInfo(URI url) {
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return url.getScheme() + "://" + url.getHost();
        }
    }
}
