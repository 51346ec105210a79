package dev.hsi.resilience;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.UniHelper;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named circuit breaker: Vert.x's {@link CircuitBreaker} with the original's success threshold on top, and the
 * original's metrics.
 *
 * <p>Vert.x does CLOSED → OPEN after {@code failureThreshold} failures in a row (a success clears the count; the
 * count also forgets failures older than an hour), and OPEN → HALF_OPEN after the recovery timeout, where it admits
 * one trial call and closes on its success. The original closes only after {@code successThreshold} successes, with
 * up to {@code halfOpenMaxCalls} trial calls at a time. So after Vert.x's trial succeeds this breaker stays
 * reported {@code half_open} ("probation"): it admits at most {@code halfOpenMaxCalls} calls at a time, closes
 * after {@code successThreshold} successes counting the trial, and reopens (a new recovery timeout) on any failure.
 * Calls have no timeout of the breaker's own: the protected clients carry theirs.
 *
 * <p>Thread-safe. Fields are atomics, and no lock of this class is held while Vert.x's breaker (which calls the
 * state handlers under its own lock) is called.
 */
public final class Breaker {

    private static final Logger LOG = LoggerFactory.getLogger(Breaker.class);
    private static final long FAILURE_WINDOW_MILLIS = Duration.ofHours(1).toMillis();
    private static final Duration MIN_HOLD_POLL = Duration.ofMillis(20);
    private static final Duration MAX_HOLD_POLL = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final BreakerSettings settings;
    private final CircuitBreakerOptions options;
    private final Duration holdPoll;
    private final AtomicReference<CircuitBreaker> delegate = new AtomicReference<>();
    private final AtomicBoolean probation = new AtomicBoolean();
    private final AtomicInteger probationCalls = new AtomicInteger();
    private final AtomicInteger successCount = new AtomicInteger();
    private final AtomicLong totalCalls = new AtomicLong();
    private final AtomicLong rejectedCalls = new AtomicLong();
    private final AtomicReference<Instant> lastFailureTime = new AtomicReference<>();
    private final AtomicReference<Instant> lastStateChange = new AtomicReference<>(Instant.now());
    private final AtomicReference<Instant> openedAt = new AtomicReference<>();
    private final AtomicReference<String> lastFailure = new AtomicReference<>("");

    Breaker(Vertx vertx, BreakerSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.options = new CircuitBreakerOptions()
                .setMaxFailures(settings.failureThreshold())
                .setResetTimeout(settings.recoveryTimeout().toMillis())
                .setFailuresRollingWindow(FAILURE_WINDOW_MILLIS)
                .setTimeout(-1)
                .setMaxRetries(0)
                .setFallbackOnFailure(false)
                .setNotificationAddress(null);
        long poll = Math.max(MIN_HOLD_POLL.toMillis(),
                Math.min(MAX_HOLD_POLL.toMillis(), settings.recoveryTimeout().toMillis() / 10));
        this.holdPoll = Duration.ofMillis(poll);
        delegate.set(newDelegate());
    }

    public String name() {
        return settings.name();
    }

    public BreakerSettings settings() {
        return settings;
    }

    /** {@code closed}, {@code open} or {@code half_open}, as the original reports them. */
    public String state() {
        CircuitBreakerState state = delegate.get().state();
        if (state == CircuitBreakerState.OPEN) {
            return "open";
        }
        return state == CircuitBreakerState.HALF_OPEN || probation.get() ? "half_open" : "closed";
    }

    /** Runs the operation through the breaker; fails at once with {@link CircuitOpenException} when it is open. */
    public <T> Uni<T> call(Supplier<Uni<T>> operation) {
        return call(operation, result -> null);
    }

    /**
     * Like {@link #call(Supplier)}, where {@code failureOf} may also judge a result a failure (an operation that
     * reports failures in its result, not by failing): such a result counts as a failure here and is still handed
     * back as the item.
     */
    public <T> Uni<T> call(Supplier<Uni<T>> operation, Function<T, Throwable> failureOf) {
        return Uni.createFrom().deferred(() -> run(operation, failureOf))
                .onFailure(JudgedFailure.class).recoverWithItem(JudgedFailure::resultOf);
    }

    /**
     * Like {@link #call(Supplier, Function)}, but made for work that must not be given up during an outage:
     * <ul>
     *   <li>a call the open circuit refuses is not failed: it waits, checking again every {@code recoveryTimeout / 10}
     *       (20 ms to 1 s) without calling the service, until the breaker lets it through;</li>
     *   <li>a call whose own failure left the breaker open (it tripped it, or was the trial that reopened it) waits
     *       the same way and is tried again, up to {@value HeldCall#MAX_HELD_FAILURES} times; only then is its failure
     *       handed back. The cap keeps a call that fails on its own (a poisonous input that happens to be the
     *       trial call) from stalling its caller for ever.</li>
     * </ul>
     * Waiting uses Vert.x timers on the caller's context, so it ends with that context (its verticle undeployed,
     * Vert.x closed) and the caller's work stays where it was (for a queue job: in the processing list).
     */
    public <T> Uni<T> callWhenAllowed(Supplier<Uni<T>> operation, Function<T, Throwable> failureOf) {
        return Uni.createFrom().emitter(emitter -> new HeldCall<>(this, operation, failureOf, emitter).attempt());
    }

    /** Runs {@code action} on the caller's context after the hold poll interval. */
    void later(Runnable action) {
        vertx.setTimer(holdPoll.toMillis(), id -> action.run());
    }

    boolean isOpen() {
        return delegate.get().state() == CircuitBreakerState.OPEN;
    }

    /** One call through the breaker; judged failures stay failures here ({@link JudgedFailure}). */
    <T> Uni<T> run(Supplier<Uni<T>> operation, Function<T, Throwable> failureOf) {
        totalCalls.incrementAndGet();
        CircuitBreaker current = delegate.get();
        boolean trial = current.state() == CircuitBreakerState.HALF_OPEN;
        boolean onProbation = !trial && probation.get();
        if (onProbation && !takeProbationSlot()) {
            rejectedCalls.incrementAndGet();
            return Uni.createFrom().failure(new CircuitOpenException(name(), "half_open"));
        }
        Future<T> outcome = current.execute(promise -> UniHelper.toFuture(Uni.createFrom().deferred(operation::get)
                        .onItem().transformToUni(result -> {
                            Throwable failure = failureOf.apply(result);
                            return failure == null
                                    ? Uni.createFrom().item(result)
                                    : Uni.createFrom().<T>failure(new JudgedFailure(result, failure));
                        })
                        .onFailure().invoke(this::recordFailure))
                .onComplete(promise));
        return UniHelper.toUni(outcome)
                .onTermination().invoke(() -> {
                    if (onProbation) {
                        probationCalls.decrementAndGet();
                    }
                })
                .onItem().invoke(result -> succeeded(trial, onProbation))
                .onFailure().recoverWithUni(failure -> failed(current, failure));
    }

    private boolean takeProbationSlot() {
        while (true) {
            int taken = probationCalls.get();
            if (taken >= settings.halfOpenMaxCalls()) {
                return false;
            }
            if (probationCalls.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
    }

    /**
     * Vert.x's trial succeeded (its breaker is closed now): close too, or start probation. A probation call's success
     * counts only while probation lasts, so calls still running when it ended cannot start it again.
     */
    private void succeeded(boolean trial, boolean onProbation) {
        if (trial) {
            if (settings.successThreshold() <= 1) {
                closedAfterTrials();
            } else {
                successCount.set(1);
                probation.set(true);
            }
        } else if (onProbation && probation.get()
                && successCount.incrementAndGet() >= settings.successThreshold()
                && probation.compareAndSet(true, false)) {
            closedAfterTrials();
        }
    }

    private void closedAfterTrials() {
        successCount.set(0);
        changed();
        LOG.info("Circuit breaker '{}' closed after {} successful trial call(s)", name(), settings.successThreshold());
    }

    private <T> Uni<T> failed(CircuitBreaker current, Throwable failure) {
        if (failure instanceof OpenCircuitException) {
            rejectedCalls.incrementAndGet();
            return Uni.createFrom().failure(new CircuitOpenException(name(), state()));
        }
        if (probation.getAndSet(false) && current == delegate.get() && current.state() != CircuitBreakerState.OPEN) {
            current.open();
        }
        return Uni.createFrom().failure(failure);
    }

    /** Noted before Vert.x's breaker sees the failure, so that the log line of an opening names it. */
    private void recordFailure(Throwable failure) {
        Throwable cause = failure instanceof JudgedFailure judged ? judged.getCause() : failure;
        lastFailureTime.set(Instant.now());
        lastFailure.set(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    /** Back to closed with no failures counted, whatever the state; returns the state it had. */
    public String reset() {
        String previous = state();
        delegate.set(newDelegate());
        probation.set(false);
        successCount.set(0);
        openedAt.set(null);
        if (!previous.equals("closed")) {
            changed();
        }
        LOG.info("Circuit breaker '{}' reset to closed (was {})", name(), previous);
        return previous;
    }

    /** The original's metrics, with its later {@code opened_at} and {@code config}; times are ISO-8601 or null. */
    public JsonObject metrics() {
        String state = state();
        return new JsonObject()
                .put("name", name())
                .put("state", state)
                .put("failure_count", delegate.get().failureCount())
                .put("success_count", state.equals("closed") ? 0 : successCount.get())
                .put("total_calls", totalCalls.get())
                .put("rejected_calls", rejectedCalls.get())
                .put("last_failure_time", iso(lastFailureTime.get()))
                .put("last_state_change", iso(lastStateChange.get()))
                .put("opened_at", iso(openedAt.get()))
                .put("config", settings.toJson());
    }

    /** A fresh Vert.x breaker; the handlers of one replaced by {@link #reset()} are ignored from then on. */
    private CircuitBreaker newDelegate() {
        CircuitBreaker created = CircuitBreaker.create(name(), vertx.getDelegate(), options);
        created.openHandler(ignored -> {
            if (delegate.get() == created) {
                probation.set(false);
                successCount.set(0);
                openedAt.set(Instant.now());
                changed();
                LOG.warn("Circuit breaker '{}' opened (last failure: {}): calls wait {} s before a trial call",
                        name(), lastFailure.get(), settings.recoveryTimeout().toMillis() / 1000.0);
            }
        });
        created.halfOpenHandler(ignored -> {
            if (delegate.get() == created) {
                successCount.set(0);
                changed();
                LOG.info("Circuit breaker '{}' half-open: letting a trial call through", name());
            }
        });
        return created;
    }

    private void changed() {
        lastStateChange.set(Instant.now());
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
