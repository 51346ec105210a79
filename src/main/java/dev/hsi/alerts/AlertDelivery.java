package dev.hsi.alerts;

import dev.hsi.notify.Delivery;
import dev.hsi.notify.Notifier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Sends an alert on each channel it has not reached yet, all at once, then records every outcome on the alert: the
 * alert becomes {@code delivered} (with {@code delivered_at}) when every channel took it; otherwise it stays
 * {@code pending} with each failed channel's error in {@code metadata.delivery}.
 */
final class AlertDelivery {

    private final Notifier notifier;
    private final AlertRepository alerts;

    AlertDelivery(Notifier notifier, AlertRepository alerts) {
        this.notifier = notifier;
        this.alerts = alerts;
    }

    /** The alert as recorded after this delivery; unchanged when there was nothing left to send. */
    Uni<Alert> deliver(Alert alert, EventFacts event) {
        List<String> channels = alert.undeliveredChannels();
        if (channels.isEmpty()) {
            return Uni.createFrom().item(alert);
        }
        JsonObject payload = payload(alert, event);
        List<Uni<Delivery>> sends = channels.stream()
                .map(channel -> notifier.send(channel, "alert", alert.id().toString(), payload))
                .toList();
        return Uni.join().all(sends).andCollectFailures().onItem().transformToUni(deliveries -> {
            JsonObject outcomes = new JsonObject();
            deliveries.forEach(delivery -> outcomes.put(delivery.channel(), delivery.toJson()));
            boolean everyChannel = deliveries.stream().allMatch(Delivery::delivered);
            return alerts.recordDelivery(alert.id(), outcomes, everyChannel);
        });
    }

    /** What a webhook receives and MQTT publishes: {@code {type: "alert", alert: {...}, event: {...}}}. */
    static JsonObject payload(Alert alert, EventFacts event) {
        JsonObject json = alert.toJson();
        JsonObject metadata = json.getJsonObject("metadata").copy();
        metadata.remove("delivery");
        json.put("metadata", metadata).put("rule_name", metadata.getString("rule_name"));
        return new JsonObject().put("type", "alert").put("alert", json).put("event", event.toJson());
    }
}
