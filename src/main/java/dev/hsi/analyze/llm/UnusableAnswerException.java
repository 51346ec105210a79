package dev.hsi.analyze.llm;

/** The LLM answered, but not with a usable judgement (no text, no JSON object, no risk score). Not retried. */
public final class UnusableAnswerException extends RuntimeException {

    UnusableAnswerException(String message) {
        super(message, null, false, false);
    }
}
