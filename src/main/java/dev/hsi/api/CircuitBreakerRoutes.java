package dev.hsi.api;

import dev.hsi.resilience.Breaker;
import dev.hsi.resilience.CircuitBreakers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;

/**
 * The original's circuit-breaker routes: {@code GET /api/system/circuit-breakers} lists every breaker's state and
 * metrics; {@code POST /api/system/circuit-breakers/{name}/reset} puts one back to closed.
 */
public final class CircuitBreakerRoutes {

    private final CircuitBreakers breakers;

    public CircuitBreakerRoutes(CircuitBreakers breakers) {
        this.breakers = breakers;
    }

    public void mount(Router router) {
        router.get("/api/system/circuit-breakers").respond(ctx -> Uni.createFrom().item(breakers.metrics()));
        router.post("/api/system/circuit-breakers/:name/reset").respond(this::reset);
    }

    /** {@code {name, previous_state, new_state, message}}; 404 naming the known breakers for an unknown name. */
    private Uni<JsonObject> reset(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        return Uni.createFrom().item(() -> {
            Breaker breaker = breakers.find(name).orElseThrow(() -> ApiError.notFound("Circuit breaker '" + name
                    + "' not found; known: " + String.join(", ", breakers.all().stream().map(Breaker::name).toList())));
            String previous = breaker.reset();
            return new JsonObject()
                    .put("name", name)
                    .put("previous_state", previous)
                    .put("new_state", breaker.state())
                    .put("message", "Circuit breaker '" + name + "' reset from " + previous + " to " + breaker.state());
        });
    }
}
