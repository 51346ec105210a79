package dev.hsi.prompt;

/** An update named a version that is no longer the current one: someone else changed the prompt meanwhile. */
public final class PromptConflictException extends RuntimeException {

    private final int expectedVersion;
    private final int currentVersion;

    PromptConflictException(String model, int expectedVersion, int currentVersion) {
        super("Concurrent modification detected for model '" + model + "': expected version " + expectedVersion
                + ", but current version is " + currentVersion + ". Please refresh and retry your update.",
                null, false, false);
        this.expectedVersion = expectedVersion;
        this.currentVersion = currentVersion;
    }

    public int expectedVersion() {
        return expectedVersion;
    }

    public int currentVersion() {
        return currentVersion;
    }
}
