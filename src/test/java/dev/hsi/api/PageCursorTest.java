package dev.hsi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PageCursorTest {

    @Test
    @DisplayName("A cursor survives encoding to the microsecond, in the original's format")
    void roundTrip() {
        PageCursor cursor = new PageCursor(4_000_000_123L, Instant.parse("2026-03-15T12:00:00.123456Z"));

        String text = cursor.encode();

        assertThat(PageCursor.decode(text)).isEqualTo(cursor);
        assertThat(new JsonObject(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8)))
                .isEqualTo(new JsonObject().put("id", 4_000_000_123L).put("created_at", "2026-03-15T12:00:00.123456Z"));
    }

    @Test
    @DisplayName("The original's cursors are read: padded base64url, an offset time, or a time without offset (UTC)")
    void originalCursors() {
        // the example cursor in the original's logs schema: {"id": 1, "created_at": "2026-01-03T10:30:00Z"}
        assertThat(PageCursor.decode("eyJpZCI6IDEsICJjcmVhdGVkX2F0IjogIjIwMjYtMDEtMDNUMTA6MzA6MDBaIn0="))
                .isEqualTo(new PageCursor(1, Instant.parse("2026-01-03T10:30:00Z")));
        assertThat(PageCursor.decode(encode("{\"id\": 7, \"created_at\": \"2026-01-03T11:30:00+01:00\"}")))
                .isEqualTo(new PageCursor(7, Instant.parse("2026-01-03T10:30:00Z")));
        assertThat(PageCursor.decode(encode("{\"id\": 7, \"created_at\": \"2026-01-03T10:30:00\"}")))
                .isEqualTo(new PageCursor(7, Instant.parse("2026-01-03T10:30:00Z")));
        assertThat(PageCursor.decode(null)).isNull();
        assertThat(PageCursor.decode(" ")).isNull();
    }

    @Test
    @DisplayName("Anything else is a 400 saying what is wrong with it")
    void invalidCursors() {
        assertInvalid("not*base64", "not base64url text");
        assertInvalid(encode("not json"), "not an encoded JSON object");
        assertInvalid(encode("[1, 2]"), "not an encoded JSON object");
        assertInvalid(encode("{\"created_at\": \"2026-01-03T10:30:00Z\"}"), "'id' must be a positive integer");
        assertInvalid(encode("{\"id\": -4, \"created_at\": \"2026-01-03T10:30:00Z\"}"), "'id' must be a positive");
        assertInvalid(encode("{\"id\": 1.5, \"created_at\": \"2026-01-03T10:30:00Z\"}"), "'id' must be a positive");
        assertInvalid(encode("{\"id\": \"1\", \"created_at\": \"2026-01-03T10:30:00Z\"}"), "'id' must be a positive");
        assertInvalid(encode("{\"id\": 1}"), "missing 'created_at' field");
        assertInvalid(encode("{\"id\": 1, \"created_at\": \"yesterday\"}"), "'created_at' must be an ISO-8601");
        assertInvalid("A".repeat(PageCursor.MAX_LENGTH + 1), "longer than 200 characters");
    }

    private static void assertInvalid(String cursor, String reason) {
        assertThatThrownBy(() -> PageCursor.decode(cursor))
                .isInstanceOf(ApiError.class)
                .hasMessageStartingWith("Invalid cursor: ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(400));
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
