package dev.hsi.prompt;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The prompt in use for one model, at its current version. */
public record PromptConfig(
        String model, PromptSettings settings, int version, Instant updatedAt, String createdBy,
        String changeDescription) {

    /** The original's {@code ModelPromptConfig}: {@code model, config{...}, version, created_at, created_by, change_description}. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("model", model)
                .put("config", settings.toJson())
                .put("version", version)
                .put("created_at", updatedAt.toString())
                .put("created_by", createdBy)
                .put("change_description", changeDescription);
    }
}
