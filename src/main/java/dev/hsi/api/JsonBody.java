package dev.hsi.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;

/** Request bodies of the write routes: JSON objects of at most 64 KiB; anything else is a 400 saying so. */
final class JsonBody {

    static final long MAX_BYTES = 65_536;

    private JsonBody() {
    }

    /** The handler that reads the body; put it before a route's own handler. */
    static BodyHandler reader() {
        return BodyHandler.create(false).setBodyLimit(MAX_BYTES);
    }

    /** The body as a JSON object; an empty body is an empty object when {@code emptyAllowed}. */
    static JsonObject object(RoutingContext ctx, boolean emptyAllowed) {
        String text = ctx.body().asString();
        if (text == null || text.isBlank()) {
            if (emptyAllowed) {
                return new JsonObject();
            }
            throw ApiError.badRequest("body: a JSON object is required");
        }
        try {
            return new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw ApiError.badRequest("body: not a JSON object (" + e.getMessage() + ")");
        }
    }
}
