package dev.hsi.notify;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * Tries a send up to {@code 1 + maxRetries} times, waiting base × 2^(n-1) plus 0–25 % jitter (at most 30 s) between
 * tries, the original's retry policy; waits are Vert.x timers, so nothing blocks. A send that fails with an exception
 * counts as worth retrying.
 */
final class Retries {

    private static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final int maxRetries;
    private final Duration base;

    Retries(Vertx vertx, int maxRetries, Duration base) {
        this.vertx = vertx;
        this.maxRetries = maxRetries;
        this.base = base;
    }

    Uni<Delivery> run(String channel, IntFunction<Uni<Attempt>> send) {
        return attempt(channel, send, 1);
    }

    private Uni<Delivery> attempt(String channel, IntFunction<Uni<Attempt>> send, int number) {
        return Uni.createFrom().deferred(() -> send.apply(number))
                .onFailure().recoverWithItem(failure -> Attempt.retry(describe(failure)))
                .onItem().transformToUni(outcome -> switch (outcome.kind()) {
                    case DELIVERED -> Uni.createFrom().item(Delivery.delivered(channel, number));
                    case GIVE_UP -> Uni.createFrom().item(Delivery.failed(channel, number, outcome.error()));
                    case RETRY -> number > maxRetries
                            ? Uni.createFrom().item(Delivery.failed(channel, number, outcome.error()))
                            : later(delay(number)).onItem().transformToUni(ignored -> attempt(channel, send, number + 1));
                });
    }

    private Duration delay(int attempt) {
        long millis = base.toMillis() << Math.min(attempt - 1, 20);
        millis += (long) (millis * 0.25 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.min(millis, MAX_DELAY.toMillis()));
    }

    private Uni<Void> later(Duration delay) {
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(Math.max(1, delay.toMillis()),
                id -> emitter.complete(null)));
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
