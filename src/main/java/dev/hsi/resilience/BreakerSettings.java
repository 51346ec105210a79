package dev.hsi.resilience;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * One circuit breaker's thresholds, as the original names them: open after {@code failureThreshold} failures in a
 * row; after {@code recoveryTimeout} let trial calls through (at most {@code halfOpenMaxCalls} at a time); close
 * after {@code successThreshold} successful ones, reopen on any failure.
 */
public record BreakerSettings(
        String name, int failureThreshold, Duration recoveryTimeout, int halfOpenMaxCalls, int successThreshold) {

    public BreakerSettings {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a circuit breaker needs a name");
        }
        if (failureThreshold < 1 || halfOpenMaxCalls < 1 || successThreshold < 1) {
            throw new IllegalArgumentException("thresholds of circuit breaker " + name + " must be at least 1");
        }
        if (recoveryTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("recovery timeout of circuit breaker " + name + " must be positive");
        }
    }

    /** The original's detector breaker (rtdetr): 5 failures, 60 s recovery, 3 half-open calls, 2 successes. */
    public static BreakerSettings standard(String name) {
        return new BreakerSettings(name, 5, Duration.ofSeconds(60), 3, 2);
    }

    /** The original's {@code config} object in the breaker's status. */
    JsonObject toJson() {
        return new JsonObject()
                .put("failure_threshold", failureThreshold)
                .put("recovery_timeout", recoveryTimeout.toMillis() / 1000.0)
                .put("half_open_max_calls", halfOpenMaxCalls)
                .put("success_threshold", successThreshold);
    }
}
