package dev.hsi.api;

import dev.hsi.bus.Addresses;
import dev.hsi.bus.NotificationSettings;
import dev.hsi.bus.NotificationTestRequested;
import dev.hsi.bus.NotificationTestResult;
import io.smallrye.mutiny.Uni;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;

/**
 * {@code GET /api/notification/config} (the channels' settings, no secrets) and {@code POST /api/notification/test}
 * ({@code {channel, webhook_url?}}: a test message on one channel, answered {@code {channel, success, error,
 * message}}). The alert stage owns the channels; these routes ask it over the event bus.
 */
public final class NotificationRoutes {

    private static final List<String> CHANNELS = List.of("webhook", "mqtt");
    /** A test waits for every retry of its send. */
    private static final Duration TEST_TIMEOUT = Duration.ofMinutes(3);

    private final EventBus bus;

    public NotificationRoutes(EventBus bus) {
        this.bus = bus;
    }

    public void mount(Router router) {
        router.get("/api/notification/config").respond(ctx -> bus.<NotificationSettings>request(
                        Addresses.NOTIFICATION_SETTINGS, null)
                .map(reply -> reply.body().toJson())
                .onFailure(ReplyException.class).transform(NotificationRoutes::unavailable));
        router.post("/api/notification/test").handler(JsonBody.reader()).respond(this::test);
    }

    private Uni<JsonObject> test(RoutingContext ctx) {
        JsonObject body = JsonBody.object(ctx, false);
        Object channel = body.getValue("channel");
        if (!(channel instanceof String name) || !CHANNELS.contains(name)) {
            throw ApiError.badRequest("channel: must be one of " + CHANNELS + ", got " + channel);
        }
        Object url = body.getValue("webhook_url");
        if (url != null && !(url instanceof String)) {
            throw ApiError.badRequest("webhook_url: must be a string");
        }
        return bus.<NotificationTestResult>request(Addresses.NOTIFICATION_TEST,
                        new NotificationTestRequested(name, (String) url),
                        new DeliveryOptions().setSendTimeout(TEST_TIMEOUT.toMillis()))
                .map(reply -> reply.body().toJson())
                .onFailure(ReplyException.class).transform(NotificationRoutes::unavailable);
    }

    private static Throwable unavailable(Throwable failure) {
        ReplyException reply = (ReplyException) failure;
        if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
            return new ApiError(503, "Notifications are not running (the alert stage is not deployed)");
        }
        return new ApiError(503, "Notifications did not answer: " + reply.getMessage());
    }
}
