package dev.hsi.notify;

import dev.hsi.config.MqttBroker;
import dev.hsi.config.NotificationConfig;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.mqtt.MqttClient;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mqtt} channel, with the Vert.x MQTT client: alerts on {@code <prefix>/alerts}, events on
 * {@code <prefix>/events}, both QoS 1 (a message counts as delivered when the broker acknowledged it). The client
 * connects at start and again on demand after losing the broker; on each connection it publishes
 * {@code <prefix>/status} = {@code online} (retained; the broker's last will sets {@code offline}) and the Home
 * Assistant discovery configs ({@link HomeAssistantDiscovery}). Used from one Vert.x context only.
 *
 * <p>It does not go through the {@code notifications} circuit breaker, which guards the webhook: an MQTT outage shows
 * as a failed connect, bounded by {@code MQTT_TIMEOUT_SECONDS}, and sharing one breaker would let a dead webhook
 * silence MQTT too.
 */
public final class MqttNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(MqttNotifier.class);
    static final String CHANNEL = "mqtt";

    private final NotificationConfig config;
    private final MqttBroker broker;
    private final MqttClient client;
    private final Retries retries;
    private final HomeAssistantDiscovery discovery;
    private final Map<Integer, UniEmitter<? super Void>> awaitingAck = new HashMap<>();
    private final Set<Integer> ackedEarly = new HashSet<>();
    private Uni<Void> connecting;
    private boolean closing;

    MqttNotifier(Vertx vertx, NotificationConfig config, MqttBroker broker) {
        this.config = config;
        this.broker = broker;
        this.discovery = new HomeAssistantDiscovery(config);
        int timeoutSeconds = (int) Math.max(1, config.mqttTimeout().toSeconds());
        MqttClientOptions options = new MqttClientOptions()
                .setClientId(config.mqttClientId())
                .setCleanSession(true)
                .setAutoKeepAlive(true)
                .setKeepAliveInterval(30)
                .setAckTimeout(timeoutSeconds)
                .setWillFlag(true)
                .setWillTopic(discovery.statusTopic())
                .setWillMessage(HomeAssistantDiscovery.OFFLINE)
                .setWillRetain(true)
                .setWillQoS(1)
                .setSsl(broker.tls());
        options.setConnectTimeout((int) config.mqttTimeout().toMillis());
        broker.username().ifPresent(options::setUsername);
        broker.password().ifPresent(options::setPassword);
        this.client = MqttClient.create(vertx, options);
        client.publishCompletionHandler(this::acknowledged);
        client.publishCompletionExpirationHandler(id -> failAck(id, "the broker did not acknowledge message " + id
                + " within " + timeoutSeconds + " s"));
        client.closeHandler(() -> {
            if (closing) {
                return;
            }
            LOG.warn("MQTT connection to {}:{} lost; reconnecting on the next message", broker.host(), broker.port());
            connecting = null;
            Set.copyOf(awaitingAck.keySet()).forEach(id ->
                    failAck(id, "the connection closed before the broker acknowledged"));
        });
        this.retries = new Retries(vertx, config.maxRetries(), config.retryBase());
    }

    /** Connects (once at a time) and announces this server; fails when the broker cannot be reached. */
    Uni<Void> connect() {
        if (connecting == null) {
            connecting = client.connect(broker.port(), broker.host())
                    .onItem().transformToUni(ack -> announce())
                    .ifNoItem().after(config.mqttTimeout()).failWith(() -> new IllegalStateException(
                            "no connection to " + broker.host() + ":" + broker.port() + " within "
                                    + config.mqttTimeout().toMillis() + " ms"))
                    .invoke(() -> LOG.info("MQTT: connected to {}:{} as {}; topics {}/alerts and {}/events",
                            broker.host(), broker.port(), config.mqttClientId(), config.mqttTopicPrefix(),
                            config.mqttTopicPrefix()))
                    .onFailure().invoke(failure -> connecting = null)
                    .memoize().indefinitely();
        }
        return connecting;
    }

    boolean connected() {
        return client.isConnected();
    }

    /** An alert (or a test message) on {@code <prefix>/alerts}, retried with back-off until the broker acknowledges. */
    Uni<Delivery> publishAlert(String body) {
        return retries.run(CHANNEL, attempt -> publish(discovery.alertsTopic(), body, false)
                .replaceWith(Attempt.delivered()));
    }

    /** An event on {@code <prefix>/events}, once: events are a feed, and a missed one is not retried. */
    Uni<Void> publishEvent(String body) {
        return publish(discovery.eventsTopic(), body, false);
    }

    Uni<Void> close() {
        closing = true;
        if (!client.isConnected()) {
            return Uni.createFrom().voidItem();
        }
        return publishConnected(discovery.statusTopic(), HomeAssistantDiscovery.OFFLINE, true)
                .ifNoItem().after(config.mqttTimeout()).fail()
                .onFailure().recoverWithNull()
                .onItem().transformToUni(ignored -> client.disconnect())
                .onFailure().recoverWithNull();
    }

    /** Part of connecting, so it publishes on the new connection without waiting for the connection to be made. */
    private Uni<Void> announce() {
        Uni<Void> online = publishConnected(discovery.statusTopic(), HomeAssistantDiscovery.ONLINE, true);
        if (!config.mqttDiscovery()) {
            return online;
        }
        return online.onItem().transformToUni(ignored -> Uni.join().all(discovery.configs().entrySet().stream()
                        .map(config -> publishConnected(config.getKey(), config.getValue().encode(), true)).toList())
                .andFailFast().replaceWithVoid());
    }

    /** Connects first when needed. */
    private Uni<Void> publish(String topic, String payload, boolean retain) {
        return connect().onItem().transformToUni(connected -> publishConnected(topic, payload, retain));
    }

    /** QoS 1: completes when the broker's PUBACK for this message arrives. */
    private Uni<Void> publishConnected(String topic, String payload, boolean retain) {
        return client.publish(topic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, retain)
                .onItem().transformToUni(this::awaitAck);
    }

    private Uni<Void> awaitAck(int messageId) {
        return Uni.createFrom().emitter(emitter -> {
            if (ackedEarly.remove(messageId)) {
                emitter.complete(null);
            } else {
                awaitingAck.put(messageId, emitter);
            }
        });
    }

    private void acknowledged(int messageId) {
        UniEmitter<? super Void> emitter = awaitingAck.remove(messageId);
        if (emitter != null) {
            emitter.complete(null);
        } else {
            ackedEarly.add(messageId);
        }
    }

    private void failAck(int messageId, String reason) {
        UniEmitter<? super Void> emitter = awaitingAck.remove(messageId);
        if (emitter != null) {
            emitter.fail(new IllegalStateException(reason));
        }
    }
}
