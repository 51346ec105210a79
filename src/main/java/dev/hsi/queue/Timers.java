package dev.hsi.queue;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;

/** Delays on Vert.x timers, so that what follows runs on the caller's event loop, not on a Mutiny thread. */
public final class Timers {

    private Timers() {
    }

    public static Uni<Void> delay(Vertx vertx, Duration delay) {
        return Uni.createFrom().emitter(emitter ->
                vertx.setTimer(Math.max(1, delay.toMillis()), id -> emitter.complete(null)));
    }
}
