package dev.hsi.bus;

import io.vertx.core.json.JsonObject;

/** The outcome of a test notification, in the original's response shape. */
public record NotificationTestResult(String channel, boolean success, String error, String message) {

    public JsonObject toJson() {
        return new JsonObject()
                .put("channel", channel)
                .put("success", success)
                .put("error", error)
                .put("message", message);
    }
}
