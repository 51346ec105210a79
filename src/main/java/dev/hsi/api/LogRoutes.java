package dev.hsi.api;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The original's {@code /api/logs}: the filtered list (keyset pages by {@code cursor}, or deprecated offsets), the
 * day's figures, one entry, and frontend log ingestion ({@code POST /api/logs/frontend}; the original has no plain
 * {@code POST /api/logs}).
 */
final class LogRoutes {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_SEARCH = 200;
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Set<String> SOURCES = Set.of("backend", "frontend");

    private final LogRepository logs;

    LogRoutes(Pool pool) {
        this.logs = new LogRepository(pool);
    }

    void mount(Router router) {
        router.get("/api/logs").respond(this::list);
        router.get("/api/logs/stats").respond(ctx -> logs.stats(LocalDate.now(ZoneOffset.UTC).atStartOfDay()
                .atOffset(ZoneOffset.UTC)));
        router.get("/api/logs/:id").respond(ctx -> logs.entry(new QueryParams(ctx).pathId("id")));
        router.post("/api/logs/frontend").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
        router.post("/api/logs/frontend").respond(this::createFrontend);
    }

    private Uni<JsonObject> list(RoutingContext ctx) {
        QueryParams params = new QueryParams(ctx);
        String level = params.oneOf("level", lowerCase(FrontendLog.LEVELS));
        String search = params.text("search");
        if (search != null && search.length() > MAX_SEARCH) {
            throw ApiError.badRequest("search must be at most " + MAX_SEARCH + " characters, got " + search.length());
        }
        OffsetDateTime[] range = params.dateRange();
        List<Object> filter = Arrays.asList(level == null ? null : level.toUpperCase(Locale.ROOT),
                params.text("component"), params.text("camera_id"), params.oneOf("source", SOURCES), search,
                range[0], range[1]);
        PageRequest paging = PageRequest.read(params, DEFAULT_LIMIT);
        Deprecation.markOffsetPaging(ctx, paging);
        return logs.page(filter, paging, params.text("cursor"));
    }

    /** 201 {@code {"status": "created"}}, as the original; a 400 naming every invalid field otherwise. */
    private Uni<JsonObject> createFrontend(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw ApiError.badRequest("The body must be a JSON object: " + e.getMessage());
        }
        if (body == null) {
            throw ApiError.badRequest("The body must be a JSON object with level, component and message");
        }
        FrontendLog log = FrontendLog.fromJson(body, ctx.request().getHeader("User-Agent"));
        return logs.insertFrontend(log).map(done -> {
            ctx.response().setStatusCode(201);
            return new JsonObject().put("status", "created");
        });
    }

    private static Set<String> lowerCase(Set<String> values) {
        return Set.copyOf(values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList());
    }
}
