package dev.hsi.resilience;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Breaker#callWhenAllowed} call: tries it whenever the breaker may let it through, and holds it (on a
 * Vert.x timer, never by blocking) while the breaker is open. Each try starts from a timer callback, on a fresh
 * stack, so that a long outage builds no chain of waiting Unis.
 */
final class HeldCall<T> {

    private static final Logger LOG = LoggerFactory.getLogger(HeldCall.class);
    /** How many times a call whose own failure left the breaker open is held and tried again. */
    static final int MAX_HELD_FAILURES = 3;

    private final Breaker breaker;
    private final Supplier<Uni<T>> operation;
    private final Function<T, Throwable> failureOf;
    private final UniEmitter<? super T> emitter;
    private volatile boolean cancelled;
    private int heldFailures;

    HeldCall(Breaker breaker, Supplier<Uni<T>> operation, Function<T, Throwable> failureOf,
            UniEmitter<? super T> emitter) {
        this.breaker = breaker;
        this.operation = operation;
        this.failureOf = failureOf;
        this.emitter = emitter;
        emitter.onTermination(() -> cancelled = true);
    }

    void attempt() {
        if (cancelled) {
            return;
        }
        if (breaker.isOpen()) {
            breaker.later(this::attempt);
            return;
        }
        breaker.run(operation, failureOf).subscribe().with(emitter::complete, this::failed);
    }

    private void failed(Throwable failure) {
        if (failure instanceof CircuitOpenException) {
            breaker.later(this::attempt);
        } else if (breaker.isOpen() && ++heldFailures <= MAX_HELD_FAILURES) {
            LOG.debug("Circuit breaker '{}': holding a call whose failure left it open ({})",
                    breaker.name(), failure.getMessage());
            breaker.later(this::attempt);
        } else if (failure instanceof JudgedFailure) {
            emitter.complete(JudgedFailure.resultOf(failure));
        } else {
            emitter.fail(failure);
        }
    }
}
