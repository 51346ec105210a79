package dev.hsi.api;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * The paging a list request asks for, as in the original: {@code limit}, and either a {@code cursor} (keyset: the
 * rows after the cursor's (time, id), newest first) or a deprecated {@code offset}, never both. Queries fetch
 * {@code limit + 1} rows; the extra row only tells whether there is a next page.
 */
record PageRequest(int limit, int offset, PageCursor cursor) {

    static final String OFFSET_DEPRECATION = "Offset pagination is deprecated and will be removed in a future "
            + "version. Please use cursor-based pagination instead by using the 'cursor' parameter with the "
            + "'next_cursor' value from the response.";

    static PageRequest read(QueryParams params, int defaultLimit) {
        int limit = params.integer("limit", defaultLimit, 1, QueryParams.MAX_LIMIT);
        int offset = params.offset();
        PageCursor cursor = PageCursor.decode(params.text("cursor"));
        if (cursor != null && offset > 0) {
            throw ApiError.badRequest("Cannot use both 'offset' and 'cursor' pagination. Choose one.");
        }
        return new PageRequest(limit, offset, cursor);
    }

    /** Rows to fetch: one more than the page, to learn whether another page follows. */
    int fetch() {
        return limit + 1;
    }

    /** Whether the client pages by offset, which the original marks deprecated (a warning and headers). */
    boolean usesOffset() {
        return cursor == null && offset > 0;
    }

    String deprecationWarning() {
        return usesOffset() ? OFFSET_DEPRECATION : null;
    }

    /** The page cut from the fetched rows, with the cursor of its last row when more rows follow. */
    Slice slice(List<JsonObject> fetched, String timeField) {
        boolean hasMore = fetched.size() > limit;
        List<JsonObject> rows = hasMore ? fetched.subList(0, limit) : fetched;
        String next = null;
        if (hasMore) {
            JsonObject last = rows.get(rows.size() - 1);
            next = new PageCursor(last.getLong("id"), Instant.parse(last.getString(timeField))).encode();
        }
        return new Slice(List.copyOf(rows), hasMore, next);
    }

    record Slice(List<JsonObject> rows, boolean hasMore, String nextCursor) {
    }
}
