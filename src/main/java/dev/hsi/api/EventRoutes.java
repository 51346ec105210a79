package dev.hsi.api;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The original's {@code /api/events}: the list (keyset pages by {@code cursor}, or deprecated offsets), the
 * full-text search, one event and its detections, and the review action ({@code PATCH}). {@code /search} is mounted before {@code /:id}, which would
 * otherwise take "search" for an id.
 */
final class EventRoutes {

    static final Set<String> RISK_LEVELS = Set.of("low", "medium", "high", "critical");
    static final int DEFAULT_LIMIT = 50;

    private final ReadRepository reads;
    private final EventSearchRepository searches;
    private final Pool pool;

    EventRoutes(ReadRepository reads, Pool pool) {
        this.reads = reads;
        this.pool = pool;
        this.searches = new EventSearchRepository(pool);
    }

    void mount(Router router) {
        router.get("/api/events").respond(this::list);
        router.get("/api/events/search").respond(this::search);
        router.get("/api/events/:id").respond(ctx -> reads.event(new QueryParams(ctx).pathId("id")));
        router.patch("/api/events/:id").handler(JsonBody.reader()).respond(this::review);
        router.get("/api/events/:id/detections").respond(this::detections);
    }

    /** The review action; answers the event as {@code GET /api/events/{id}} does. */
    private Uni<JsonObject> review(RoutingContext ctx) {
        long id = new QueryParams(ctx).pathId("id");
        EventReview review = EventReview.of(JsonBody.object(ctx, false));
        AuditTrail.action(ctx, review.auditAction());
        AuditTrail.details(ctx, review.auditDetails());
        return review.applyTo(pool, id).onItem().transformToUni(found -> {
            if (!found) {
                throw ApiError.notFound("Event " + id + " not found");
            }
            return reads.event(id);
        });
    }

    private Uni<JsonObject> list(RoutingContext ctx) {
        QueryParams params = new QueryParams(ctx);
        OffsetDateTime[] range = params.dateRange();
        List<Object> filter = Arrays.asList(params.text("camera_id"), params.oneOf("risk_level", RISK_LEVELS),
                range[0], range[1], params.bool("reviewed"), params.text("object_type"));
        PageRequest paging = PageRequest.read(params, DEFAULT_LIMIT);
        Deprecation.markOffsetPaging(ctx, paging);
        return reads.eventsPage(filter, paging);
    }

    /**
     * {@code q} in the original's syntax ({@link SearchQuery}); {@code camera_id}, {@code severity} (or its alias
     * {@code risk_level}; severity wins when both are given) and {@code object_type} take comma lists and match
     * any of their values.
     */
    private Uni<JsonObject> search(RoutingContext ctx) {
        QueryParams params = new QueryParams(ctx);
        String tsQuery = SearchQuery.toTsQuery(ctx.request().getParam("q"));
        OffsetDateTime[] range = params.dateRange();
        String severityParam = params.text("severity") != null ? "severity" : "risk_level";
        EventSearchRepository.Search search = new EventSearchRepository.Search(tsQuery, params.list("camera_id"),
                params.listOf(severityParam, RISK_LEVELS), params.list("object_type"), params.bool("reviewed"),
                range[0], range[1]);
        return searches.search(search, params.limit(), params.offset());
    }

    private Uni<JsonObject> detections(RoutingContext ctx) {
        long id = new QueryParams(ctx).pathId("id");
        return reads.eventExists(id).onItem().transformToUni(exists -> {
            if (!exists) {
                throw ApiError.notFound("Event " + id + " not found");
            }
            return reads.eventDetections(id).map(detections -> new JsonObject()
                    .put("detections", detections).put("count", detections.size()));
        });
    }
}
