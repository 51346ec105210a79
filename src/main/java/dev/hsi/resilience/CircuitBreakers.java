package dev.hsi.resilience;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The named circuit breakers of one server, created once by the composition root and shared by the stages that
 * call out ({@link #DETECTOR}, {@link #LLM}, {@link #NOTIFICATIONS}) and by the API that shows and resets them.
 */
public final class CircuitBreakers {

    /** The object detector backend (the original's {@code rtdetr} breaker). */
    public static final String DETECTOR = "detector";
    /** The LLM risk analyser (the original's {@code nemotron}). */
    public static final String LLM = "llm";
    /** Outgoing notifications. */
    public static final String NOTIFICATIONS = "notifications";

    private final Map<String, Breaker> breakers;

    public CircuitBreakers(Vertx vertx, List<BreakerSettings> settings) {
        Map<String, Breaker> byName = new LinkedHashMap<>();
        for (BreakerSettings one : settings) {
            if (byName.put(one.name(), new Breaker(vertx, one)) != null) {
                throw new IllegalArgumentException("two circuit breakers are named " + one.name());
            }
        }
        this.breakers = Collections.unmodifiableMap(byName);
    }

    /** The three breakers with the original's settings: 5 failures, 60 s recovery, 3 half-open calls, 2 successes. */
    public static CircuitBreakers withDefaults(Vertx vertx) {
        return new CircuitBreakers(vertx, List.of(
                BreakerSettings.standard(DETECTOR),
                BreakerSettings.standard(LLM),
                BreakerSettings.standard(NOTIFICATIONS)));
    }

    public Breaker detector() {
        return get(DETECTOR);
    }

    public Breaker llm() {
        return get(LLM);
    }

    public Breaker notifications() {
        return get(NOTIFICATIONS);
    }

    public Breaker get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no circuit breaker named " + name));
    }

    public Optional<Breaker> find(String name) {
        return Optional.ofNullable(breakers.get(name));
    }

    public Collection<Breaker> all() {
        return breakers.values();
    }

    /** {@code {circuit_breakers: {name: metrics}, total_count, open_count, timestamp}}, the original's shape. */
    public JsonObject metrics() {
        JsonObject byName = new JsonObject();
        int open = 0;
        for (Breaker breaker : breakers.values()) {
            JsonObject metrics = breaker.metrics();
            byName.put(breaker.name(), metrics);
            if ("open".equals(metrics.getString("state"))) {
                open++;
            }
        }
        return new JsonObject()
                .put("circuit_breakers", byName)
                .put("total_count", breakers.size())
                .put("open_count", open)
                .put("timestamp", Instant.now().toString());
    }
}
