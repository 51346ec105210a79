package dev.hsi.prompt;

/** A restore named a version the model's history does not hold. */
public final class PromptVersionNotFoundException extends RuntimeException {

    PromptVersionNotFoundException(String model, int version) {
        super("Version " + version + " of the " + model + " prompt not found", null, false, false);
    }
}
