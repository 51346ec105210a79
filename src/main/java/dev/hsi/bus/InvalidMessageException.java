package dev.hsi.bus;

/** A queue payload that can never be processed: it goes to the dead-letter queue, never into a retry loop. */
public final class InvalidMessageException extends RuntimeException {

    public InvalidMessageException(String message) {
        super(message);
    }
}
