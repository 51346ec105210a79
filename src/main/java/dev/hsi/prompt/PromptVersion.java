package dev.hsi.prompt;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One stored version of a model's prompt, for history and restore. */
public record PromptVersion(
        long id, String model, int version, Instant createdAt, String createdBy, String changeDescription,
        boolean active, int rowVersion, PromptSettings settings) {

    /** The original's {@code PromptVersionInfo}, with the version's {@code config} and {@code row_version}. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("id", id)
                .put("model", model)
                .put("version", version)
                .put("created_at", createdAt.toString())
                .put("created_by", createdBy)
                .put("change_description", changeDescription)
                .put("is_active", active)
                .put("row_version", rowVersion)
                .put("config", settings.toJson());
    }
}
