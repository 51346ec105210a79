package dev.hsi.api;

import dev.hsi.audit.AuditEntry;
import dev.hsi.audit.AuditRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * The original's {@code /api/audit}: the filtered trail ({@code action, resource_type, resource_id, actor, status,
 * start_date, end_date}, {@code limit/offset}, newest first, as {@code {items, pagination}}), its figures, one entry.
 * {@code /stats} is mounted before {@code /:id}, which would otherwise take "stats" for an id.
 */
final class AuditRoutes {

    static final int DEFAULT_LIMIT = 100;
    private static final Set<String> STATUSES = Set.of(AuditEntry.SUCCESS, AuditEntry.FAILURE);

    private final AuditRepository audits;

    AuditRoutes(AuditRepository audits) {
        this.audits = audits;
    }

    void mount(Router router) {
        router.get("/api/audit").respond(this::list);
        router.get("/api/audit/stats").respond(ctx -> audits.stats(
                LocalDate.now(ZoneOffset.UTC).atStartOfDay().atOffset(ZoneOffset.UTC)));
        router.get("/api/audit/:id").respond(this::entry);
    }

    private Uni<JsonObject> list(RoutingContext ctx) {
        QueryParams params = new QueryParams(ctx);
        OffsetDateTime[] range = params.dateRange();
        AuditRepository.Filter filter = new AuditRepository.Filter(params.text("action"),
                params.text("resource_type"), params.text("resource_id"), params.text("actor"),
                params.oneOf("status", STATUSES), range[0], range[1]);
        int limit = params.integer("limit", DEFAULT_LIMIT, 1, QueryParams.MAX_LIMIT);
        int offset = params.offset();
        return audits.page(filter, limit, offset)
                .map(page -> Pages.of(new JsonArray(page.entries()), page.total(), limit, offset));
    }

    private Uni<JsonObject> entry(RoutingContext ctx) {
        long id = new QueryParams(ctx).pathId("id");
        return audits.entry(id).map(found -> found.orElseThrow(() -> ApiError.notFound("Audit entry " + id
                + " not found")));
    }
}
