package dev.hsi.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Where a keyset page ends: the last row's time and id, newest first. Encoded as the original's cursor (base64url of
 * JSON {@code {"id": 123, "created_at": "<ISO-8601>"}}, whatever the time column is called), so clients treat it as
 * opaque text they hand back. A cursor that does not decode is the client's error (400), never a server failure.
 */
record PageCursor(long id, Instant at) {

    /** Far longer than any cursor this server issues; anything longer is refused before decoding. */
    static final int MAX_LENGTH = 200;

    String encode() {
        String json = new JsonObject().put("id", id).put("created_at", at.toString()).encode();
        return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    OffsetDateTime atUtc() {
        return at.atOffset(ZoneOffset.UTC);
    }

    /** Null for no cursor; a 400 naming what is wrong for one that is not a cursor of ours. */
    static PageCursor decode(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid("longer than " + MAX_LENGTH + " characters");
        }
        JsonObject json;
        try {
            json = new JsonObject(new String(Base64.getUrlDecoder().decode(text.trim()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw invalid("not base64url text");
        } catch (DecodeException | ClassCastException e) {
            throw invalid("not an encoded JSON object");
        }
        if (!(json.getValue("id") instanceof Number number) || number.longValue() <= 0
                || number.doubleValue() != number.longValue()) {
            throw invalid("'id' must be a positive integer");
        }
        if (!(json.getValue("created_at") instanceof String time)) {
            throw invalid("missing 'created_at' field");
        }
        return new PageCursor(number.longValue(), parseTime(time));
    }

    private static Instant parseTime(String time) {
        try {
            return OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(time).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw invalid("'created_at' must be an ISO-8601 date-time");
            }
        }
    }

    private static ApiError invalid(String reason) {
        return ApiError.badRequest("Invalid cursor: " + reason
                + "; pass back the next_cursor of a previous response unchanged");
    }
}
