package dev.hsi.bus;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;

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

    /** Seconds since the epoch as a float, the original's representation of pipeline timestamps. */
    static double epochSeconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    static Instant fromEpochSeconds(double seconds) {
        return Instant.ofEpochMilli(Math.round(seconds * 1000));
    }
}
