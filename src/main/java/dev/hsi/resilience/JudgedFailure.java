package dev.hsi.resilience;

/** A result its caller judged a failure: counted by the breaker as one, yet handed back to the caller as the item. */
final class JudgedFailure extends RuntimeException {

    private final transient Object result;

    JudgedFailure(Object result, Throwable cause) {
        super(cause.getMessage(), cause, false, false);
        this.result = result;
    }

    @SuppressWarnings("unchecked")
    static <T> T resultOf(Throwable judged) {
        return (T) ((JudgedFailure) judged).result;
    }
}
