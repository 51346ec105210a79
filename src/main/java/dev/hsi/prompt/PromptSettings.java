package dev.hsi.prompt;

import io.vertx.core.json.JsonObject;

/**
 * What a stored prompt sets: the system prompt and the sampling limits sent with it. The bounds are the seed's
 * ({@code prompt_configs} check constraints).
 */
public record PromptSettings(String systemPrompt, double temperature, int maxTokens) {

    public static final double MIN_TEMPERATURE = 0.0;
    public static final double MAX_TEMPERATURE = 2.0;
    public static final int MIN_MAX_TOKENS = 100;
    public static final int MAX_MAX_TOKENS = 8192;

    public PromptSettings {
        if (systemPrompt == null || systemPrompt.isBlank()) {
            throw new IllegalArgumentException("system_prompt must not be empty");
        }
        if (!(temperature >= MIN_TEMPERATURE && temperature <= MAX_TEMPERATURE)) {
            throw new IllegalArgumentException("temperature must be between 0 and 2, got " + temperature);
        }
        if (maxTokens < MIN_MAX_TOKENS || maxTokens > MAX_MAX_TOKENS) {
            throw new IllegalArgumentException("max_tokens must be between 100 and 8192, got " + maxTokens);
        }
    }

    /** The original's {@code config} object, also the text stored in {@code prompt_versions.config_json}. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("system_prompt", systemPrompt)
                .put("temperature", temperature)
                .put("max_tokens", maxTokens);
    }

    static PromptSettings fromStoredJson(String configJson) {
        JsonObject json = new JsonObject(configJson);
        return new PromptSettings(json.getString("system_prompt"), json.getDouble("temperature"),
                json.getInteger("max_tokens"));
    }
}
