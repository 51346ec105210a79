package dev.hsi.api;

import dev.hsi.alerts.Alert;
import dev.hsi.alerts.AlertRepository;
import dev.hsi.alerts.Severity;
import dev.hsi.bus.Addresses;
import dev.hsi.bus.AlertChanged;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Pool;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Alerts: the list ({@code ?status&severity&limit&offset}, newest first), one alert, and the original's user actions:
 * acknowledge (from pending or delivered) and dismiss (from any status but dismissed); 409 otherwise. Each change is
 * pushed to {@code /ws/events} as {@code alert_acknowledged} / {@code alert_dismissed}.
 */
public final class AlertRoutes {

    static final Set<String> STATUSES = Set.of("pending", "delivered", "acknowledged", "dismissed");

    private final AlertRepository alerts;
    private final EventBus bus;

    public AlertRoutes(Pool pool, EventBus bus) {
        this.alerts = new AlertRepository(pool);
        this.bus = bus;
    }

    public void mount(Router router) {
        router.get("/api/alerts").respond(this::list);
        router.get("/api/alerts/:alert_id").respond(ctx -> existing(AlertRuleRoutes.uuid(ctx, "alert_id"))
                .map(Alert::toJson));
        router.post("/api/alerts/:alert_id/acknowledge").respond(ctx -> change(ctx, "acknowledged",
                List.of("pending", "delivered"), AlertChanged.Change.ACKNOWLEDGED));
        router.post("/api/alerts/:alert_id/dismiss").respond(ctx -> change(ctx, "dismissed",
                List.of("pending", "delivered", "acknowledged"), AlertChanged.Change.DISMISSED));
    }

    private Uni<JsonObject> list(RoutingContext ctx) {
        QueryParams params = new QueryParams(ctx);
        String status = params.oneOf("status", STATUSES);
        String severity = params.oneOf("severity", new HashSet<>(Severity.NAMES));
        int limit = params.limit();
        int offset = params.offset();
        return alerts.page(status, severity, limit, offset).map(page -> Pages.of(
                new JsonArray(page.alerts().stream().map(Alert::toJson).toList()), page.total(), limit, offset));
    }

    private Uni<JsonObject> change(RoutingContext ctx, String status, List<String> from, AlertChanged.Change change) {
        UUID id = AlertRuleRoutes.uuid(ctx, "alert_id");
        return alerts.changeStatus(id, status, from).onItem().transformToUni(changed -> {
            if (changed.isPresent()) {
                bus.publish(Addresses.ALERT_CHANGED, changed.get().changed(change));
                return Uni.createFrom().item(changed.get().toJson());
            }
            return existing(id).map(current -> {
                String verb = status.equals("acknowledged") ? "acknowledged" : "dismissed";
                throw new ApiError(409, current.status().equals(status) ? "Alert is already " + verb
                        : "Alert cannot be " + verb + ". Current status: " + current.status());
            });
        });
    }

    private Uni<Alert> existing(UUID id) {
        return alerts.find(id).map(alert -> alert.orElseThrow(() -> ApiError.notFound("Alert " + id + " not found")));
    }
}
