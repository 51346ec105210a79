package dev.hsi.api;

import dev.hsi.prompt.PromptSettings;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The body of a prompt update or restore, checked field by field: a bad one is a 400 naming the field. The
 * settings may be flat ({@code system_prompt, temperature, max_tokens}) or, as the original sends them, inside
 * {@code config}; settings left out keep their current values.
 */
final class PromptBody {

    private final JsonObject body;
    private final JsonObject settings;

    private PromptBody(JsonObject body) {
        this.body = body;
        Object config = body.getValue("config");
        if (config != null && !(config instanceof JsonObject)) {
            throw ApiError.badRequest("config must be a JSON object");
        }
        this.settings = config == null ? body : (JsonObject) config;
    }

    /** The request's JSON object; an absent body reads as {@code {}} when {@code optional}. */
    static PromptBody of(RoutingContext ctx, boolean optional) {
        String text = ctx.body().asString();
        if (text == null || text.isBlank()) {
            if (optional) {
                return new PromptBody(new JsonObject());
            }
            throw ApiError.badRequest("request body must be a JSON object with system_prompt, temperature or max_tokens");
        }
        try {
            return new PromptBody(new JsonObject(text));
        } catch (DecodeException | ClassCastException e) {
            throw ApiError.badRequest("request body must be a JSON object: " + e.getMessage());
        }
    }

    /** The settings to store: the body's over {@code current}'s. */
    PromptSettings settingsOver(PromptSettings current) {
        if (!settings.containsKey("system_prompt") && !settings.containsKey("temperature")
                && !settings.containsKey("max_tokens")) {
            throw ApiError.badRequest("request body sets none of system_prompt, temperature, max_tokens");
        }
        String systemPrompt = current.systemPrompt();
        if (settings.containsKey("system_prompt")) {
            if (!(settings.getValue("system_prompt") instanceof String text) || text.isBlank()) {
                throw ApiError.badRequest("system_prompt must be a non-empty string");
            }
            systemPrompt = text;
        }
        double temperature = current.temperature();
        if (settings.containsKey("temperature")) {
            if (!(settings.getValue("temperature") instanceof Number number)) {
                throw ApiError.badRequest("temperature must be a number between 0 and 2, got "
                        + settings.getValue("temperature"));
            }
            temperature = number.doubleValue();
            if (!(temperature >= PromptSettings.MIN_TEMPERATURE && temperature <= PromptSettings.MAX_TEMPERATURE)) {
                throw ApiError.badRequest("temperature must be between 0 and 2, got " + number);
            }
        }
        int maxTokens = current.maxTokens();
        if (settings.containsKey("max_tokens")) {
            maxTokens = integer(settings, "max_tokens");
            if (maxTokens < PromptSettings.MIN_MAX_TOKENS || maxTokens > PromptSettings.MAX_MAX_TOKENS) {
                throw ApiError.badRequest("max_tokens must be between 100 and 8192, got " + maxTokens);
            }
        }
        return new PromptSettings(systemPrompt, temperature, maxTokens);
    }

    /** {@code expected_version}, the version the client last read: the optimistic lock. */
    Optional<Integer> expectedVersion() {
        Object value = body.getValue("expected_version", settings.getValue("version"));
        if (value == null) {
            return Optional.empty();
        }
        int version = integer(body.containsKey("expected_version") ? body : settings,
                body.containsKey("expected_version") ? "expected_version" : "version");
        if (version < 1) {
            throw ApiError.badRequest("expected_version must be at least 1, got " + version);
        }
        return Optional.of(version);
    }

    String text(String field, String defaultValue) {
        Object value = body.getValue(field);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof String text)) {
            throw ApiError.badRequest(field + " must be a string");
        }
        return text;
    }

    private static int integer(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
                || Math.abs(number.doubleValue()) > Integer.MAX_VALUE) {
            throw ApiError.badRequest(field + " must be an integer, got " + value);
        }
        return number.intValue();
    }
}
