package dev.hsi.alerts;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs asynchronous tasks one after another, in the order submitted: the next starts when the previous one ended
 * (with an item or a failure, which is logged), or after {@value #TIMEOUT_SECONDS} s, so that a database that stops
 * answering cannot stall the queue for ever (tasks are replay-safe: the catch-up pass takes them again). Keeps the cooldown check and the alert insert of two events from
 * interleaving. Used from one Vert.x context only; a task's continuation returns to it (the PostgreSQL client calls
 * back on the context that called it).
 */
final class OneAtATime {

    private static final Logger LOG = LoggerFactory.getLogger(OneAtATime.class);
    static final int TIMEOUT_SECONDS = 30;

    private final Deque<Task> waiting = new ArrayDeque<>();
    private boolean running;

    private record Task(String what, Supplier<Uni<Void>> work) {
    }

    void submit(String what, Supplier<Uni<Void>> work) {
        waiting.add(new Task(what, work));
        runNext();
    }


    private void runNext() {
        if (running || waiting.isEmpty()) {
            return;
        }
        running = true;
        Task task = waiting.poll();
        Uni.createFrom().deferred(() -> task.work().get())
                .ifNoItem().after(Duration.ofSeconds(TIMEOUT_SECONDS)).fail()
                .subscribe().with(done -> finished(), failure -> {
            LOG.warn("{} failed ({}); the catch-up pass will take it again", task.what(), failure.getMessage());
            finished();
        });
    }

    private void finished() {
        running = false;
        runNext();
    }
}
