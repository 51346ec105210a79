package dev.hsi.api;

import io.vertx.mutiny.ext.web.RoutingContext;

/**
 * The IETF deprecation headers the original sends when a list is paged by offset instead of by cursor
 * ({@code Deprecation: true} and the {@code Sunset} date it announced).
 */
final class Deprecation {

    static final String OFFSET_SUNSET = "Mon, 01 Jun 2026 00:00:00 GMT";

    private Deprecation() {
    }

    static void markOffsetPaging(RoutingContext ctx, PageRequest paging) {
        if (paging.usesOffset()) {
            ctx.response().putHeader("Deprecation", "true").putHeader("Sunset", OFFSET_SUNSET);
        }
    }
}
