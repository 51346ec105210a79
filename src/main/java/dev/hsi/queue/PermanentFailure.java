package dev.hsi.queue;

/** A job that can never succeed (a corrupt image, a file that vanished): dead-lettered at once, not retried. */
public final class PermanentFailure extends RuntimeException {

    public PermanentFailure(String message) {
        super(message);
    }

    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
