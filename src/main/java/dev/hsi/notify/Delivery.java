package dev.hsi.notify;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** How sending one notification on one channel ended, after all its attempts. */
public record Delivery(String channel, boolean delivered, int attempts, String error, Instant at) {

    static Delivery delivered(String channel, int attempts) {
        return new Delivery(channel, true, attempts, null, Instant.now());
    }

    static Delivery failed(String channel, int attempts, String error) {
        return new Delivery(channel, false, attempts, error, Instant.now());
    }

    /** As recorded in an alert's {@code metadata.delivery.<channel>}. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("status", delivered ? "delivered" : "failed")
                .put("attempts", attempts)
                .put("at", at.toString());
        return error == null ? json : json.put("error", error);
    }
}
