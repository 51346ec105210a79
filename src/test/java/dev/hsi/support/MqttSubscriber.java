package dev.hsi.support;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A real MQTT client (Vert.x) subscribed to some topics, collecting what the broker sends it. */
public final class MqttSubscriber implements AutoCloseable {

    /** One message as received. */
    public record Message(String topic, String payload, boolean retained) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final MqttClient client;
    private final List<Message> messages = new CopyOnWriteArrayList<>();

    public MqttSubscriber(int port, String... topics) {
        client = MqttClient.create(vertx, new MqttClientOptions().setClientId("test-subscriber-" + System.nanoTime()));
        client.publishHandler(message -> messages.add(new Message(message.topicName(),
                message.payload().toString(), message.isRetain())));
        client.connect(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        for (String topic : topics) {
            client.subscribe(topic, MqttQoS.AT_LEAST_ONCE.value()).toCompletionStage().toCompletableFuture().join();
        }
    }

    public List<Message> messages() {
        return new ArrayList<>(messages);
    }

    /** The first message (received so far or within the timeout) that matches. */
    public Message await(Duration timeout, String what, Predicate<Message> matching) {
        return Eventually.await(timeout, what, () -> messages.stream().filter(matching).findFirst().orElse(null));
    }

    @Override
    public void close() {
        client.disconnect();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
