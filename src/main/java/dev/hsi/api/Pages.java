package dev.hsi.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The later original's page shape: {@code {items, pagination: {total, limit, offset, has_more}}}. */
final class Pages {

    private Pages() {
    }

    static JsonObject of(JsonArray items, long total, int limit, int offset) {
        return new JsonObject()
                .put("items", items)
                .put("pagination", new JsonObject()
                        .put("total", total)
                        .put("limit", limit)
                        .put("offset", offset)
                        .put("has_more", total > (long) offset + limit));
    }
}
