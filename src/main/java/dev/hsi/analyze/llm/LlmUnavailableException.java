package dev.hsi.analyze.llm;

/**
 * The LLM gave no usable judgement: it could not be reached, kept failing, timed out, answered garbage, or its
 * circuit breaker is open. {@link #sent()} tells whether a request went out at all (the prompt is then worth
 * keeping with the event).
 */
public final class LlmUnavailableException extends RuntimeException {

    private final boolean sent;

    LlmUnavailableException(String message, boolean sent, Throwable cause) {
        super(message, cause, false, false);
        this.sent = sent;
    }

    public boolean sent() {
        return sent;
    }
}
