package dev.hsi.api;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A log entry sent by the dashboard ({@code POST /api/logs/frontend}), validated as the original's
 * FrontendLogCreate: level, component (1-50 characters), message (1-2000), optional extra object, user_agent (up
 * to 500) and url (up to 2000). The url has no column of its own; it is kept in {@code extra.url}.
 */
record FrontendLog(String level, String component, String message, JsonObject extra, String userAgent) {

    static final Set<String> LEVELS = Set.of("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL");
    static final int MAX_COMPONENT = 50;
    static final int MAX_MESSAGE = 2000;
    static final int MAX_USER_AGENT = 500;
    static final int MAX_URL = 2000;

    /** The entry, or a 400 listing every field that is wrong; without a user_agent field the header's is kept. */
    static FrontendLog fromJson(JsonObject body, String headerUserAgent) {
        List<String> problems = new ArrayList<>();
        String level = text(body, "level", 1, Integer.MAX_VALUE, true, problems);
        if (level != null && !LEVELS.contains(level.toUpperCase(Locale.ROOT))) {
            problems.add("level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got '" + level + "'");
        }
        String component = text(body, "component", 1, MAX_COMPONENT, true, problems);
        String message = text(body, "message", 1, MAX_MESSAGE, true, problems);
        String userAgent = text(body, "user_agent", 0, MAX_USER_AGENT, false, problems);
        String url = text(body, "url", 0, MAX_URL, false, problems);
        Object extraValue = body.getValue("extra");
        if (extraValue != null && !(extraValue instanceof JsonObject)) {
            problems.add("extra must be a JSON object");
        }
        if (!problems.isEmpty()) {
            throw ApiError.badRequest("Invalid frontend log: " + String.join("; ", problems));
        }
        JsonObject extra = extraValue == null ? null : ((JsonObject) extraValue).copy();
        if (url != null) {
            extra = (extra == null ? new JsonObject() : extra);
            if (!extra.containsKey("url")) {
                extra.put("url", url);
            }
        }
        return new FrontendLog(level.toUpperCase(Locale.ROOT), component, message, extra,
                userAgent != null ? userAgent : headerUserAgent);
    }

    private static String text(JsonObject body, String field, int min, int max, boolean required,
            List<String> problems) {
        Object value = body.getValue(field);
        if (value == null) {
            if (required) {
                problems.add(field + " is required");
            }
            return null;
        }
        if (!(value instanceof String text)) {
            problems.add(field + " must be a string");
            return null;
        }
        if (text.strip().length() < min) {
            problems.add(field + " must not be empty");
        } else if (text.length() > max) {
            problems.add(field + " must be at most " + max + " characters, got " + text.length());
        }
        return text;
    }
}
