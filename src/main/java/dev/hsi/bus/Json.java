package dev.hsi.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Strict field access for payloads arriving from outside the JVM. */
final class Json {

    private Json() {
    }

    static JsonObject parse(String text) {
        try {
            return new JsonObject(text);
        } catch (RuntimeException e) {
            throw new InvalidMessageException("not a JSON object: " + e.getMessage());
        }
    }

    static String requireString(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new InvalidMessageException("field '" + field + "' must be a non-empty string");
        }
        return text;
    }

    static Instant requireInstant(JsonObject json, String field) {
        String text = requireString(json, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidMessageException("field '" + field + "' must be an ISO-8601 instant, got " + text);
        }
    }

    static boolean optionalBoolean(JsonObject json, String field, boolean defaultValue) {
        Boolean value = optional(json, field, Boolean.class, "true or false");
        return value == null ? defaultValue : value;
    }

    static Double optionalNumber(JsonObject json, String field) {
        Number value = optional(json, field, Number.class, "a number");
        return value == null ? null : value.doubleValue();
    }

    static String optionalString(JsonObject json, String field, String defaultValue) {
        String value = optional(json, field, String.class, "a string");
        return value == null ? defaultValue : value;
    }

    /** The field's value if present; a value of another type is refused, naming the field and what it must be. */
    private static <T> T optional(JsonObject json, String field, Class<T> type, String expected) {
        Object value = json.getValue(field);
        if (value != null && !type.isInstance(value)) {
            throw new InvalidMessageException("field '" + field + "' must be " + expected);
        }
        return type.cast(value);
    }

    /** A non-empty array of whole numbers. */
    static List<Long> requireIdList(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (!(value instanceof JsonArray array) || array.isEmpty()) {
            throw new InvalidMessageException("field '" + field + "' must be a non-empty array of integers");
        }
        List<Long> ids = new ArrayList<>(array.size());
        for (Object id : array) {
            if (!(id instanceof Integer || id instanceof Long)) {
                throw new InvalidMessageException("field '" + field + "' must hold integers only, got " + id);
            }
            ids.add(((Number) id).longValue());
        }
        return ids;
    }

    /** Seconds since the epoch as a float, the original's representation of pipeline timestamps. */
    static double epochSeconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    static Instant fromEpochSeconds(double seconds) {
        return Instant.ofEpochMilli(Math.round(seconds * 1000));
    }
}
