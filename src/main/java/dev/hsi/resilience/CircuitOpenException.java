package dev.hsi.resilience;

/**
 * A call refused because its circuit breaker is open (or half-open with all trial slots taken). The service was
 * not called, so the work is still to be done: callers treat it as transient, never as a reason to dead-letter.
 */
public final class CircuitOpenException extends RuntimeException {

    private final String breaker;

    public CircuitOpenException(String breaker, String state) {
        super("circuit breaker '" + breaker + "' is " + state + ": the call was not made", null, false, false);
        this.breaker = breaker;
    }

    public String breaker() {
        return breaker;
    }
}
