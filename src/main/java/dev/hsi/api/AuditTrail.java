package dev.hsi.api;

import dev.hsi.audit.AuditEntry;
import dev.hsi.audit.AuditRepository;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an {@code audit_logs} row for every API route that changes something, once its response is sent: status
 * {@code success} for a 2xx/3xx answer, {@code failure} for a 4xx/5xx one (after the API key check: refused keys are
 * not audited). The routes are listed here, in one place, with the original's action names where it has one; a
 * route handler adds what only it knows (the id of what it created, details) with {@link #resourceId} and
 * {@link #details}. A failed audit write is logged and never fails the request, which is answered already.
 */
final class AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    private static final String RESOURCE_ID = "hsi.audit.resource_id";
    private static final String ACTION = "hsi.audit.action";
    private static final String DETAILS = "hsi.audit.details";
    private static final int MAX_IP = 45;

    private final AuditRepository audits;

    AuditTrail(AuditRepository audits) {
        this.audits = audits;
    }

    /** Mount before the routes themselves: a route's handlers run in the order they were added. */
    void mount(Router router) {
        audit(router, HttpMethod.PATCH, "/api/events/:id", "event_reviewed", "event", "id");
        audit(router, HttpMethod.POST, "/api/alerts/rules", "rule_created", "alert_rule", null);
        audit(router, HttpMethod.PUT, "/api/alerts/rules/:rule_id", "rule_updated", "alert_rule", "rule_id");
        audit(router, HttpMethod.DELETE, "/api/alerts/rules/:rule_id", "rule_deleted", "alert_rule", "rule_id");
        audit(router, HttpMethod.POST, "/api/alerts/:alert_id/acknowledge", "alert_acknowledged", "alert", "alert_id");
        audit(router, HttpMethod.POST, "/api/alerts/:alert_id/dismiss", "alert_dismissed", "alert", "alert_id");
        audit(router, HttpMethod.POST, "/api/cameras/:id/zones", "zone_created", "zone", null);
        audit(router, HttpMethod.PUT, "/api/cameras/:id/zones/:zone_id", "zone_updated", "zone", "zone_id");
        audit(router, HttpMethod.DELETE, "/api/cameras/:id/zones/:zone_id", "zone_deleted", "zone", "zone_id");
        audit(router, HttpMethod.PUT, "/api/prompts/:model", "prompt_updated", "prompt", "model");
        audit(router, HttpMethod.PUT, "/api/ai-audit/prompts/:model", "prompt_updated", "prompt", "model");
        audit(router, HttpMethod.POST, "/api/prompts/:model/history/:version/restore", "prompt_restored", "prompt",
                "model");
        audit(router, HttpMethod.POST, "/api/ai-audit/prompts/history/:version", "prompt_restored", "prompt", null);
        audit(router, HttpMethod.POST, "/api/notification/test", "notification_test", "notification", null);
        audit(router, HttpMethod.POST, "/api/dlq/requeue/:queue_name", "dlq_job_requeued", "dlq", "queue_name");
        audit(router, HttpMethod.POST, "/api/dlq/requeue-all/:queue_name", "dlq_requeued_all", "dlq", "queue_name");
        audit(router, HttpMethod.DELETE, "/api/dlq/:queue_name", "dlq_cleared", "dlq", "queue_name");
        audit(router, HttpMethod.POST, "/api/system/cleanup", "cleanup_run", "system", null);
        audit(router, HttpMethod.POST, "/api/system/circuit-breakers/:name/reset", "circuit_breaker_reset",
                "circuit_breaker", "name");
        audit(router, HttpMethod.POST, "/api/entities", "entity_created", "entity", null);
        audit(router, HttpMethod.PATCH, "/api/entities/:id", "entity_updated", "entity", "id");
    }

    /** The id of what the route created (or otherwise only the handler knows). */
    static void resourceId(RoutingContext ctx, Object id) {
        ctx.put(RESOURCE_ID, String.valueOf(id));
    }

    /** Replaces the listed action when the request decides it (a review that dismisses is event_dismissed). */
    static void action(RoutingContext ctx, String action) {
        ctx.put(ACTION, action);
    }

    /** Adds to the row's details (the method, path and response status are always there). */
    static void details(RoutingContext ctx, JsonObject details) {
        JsonObject current = ctx.get(DETAILS);
        ctx.put(DETAILS, current == null ? details.copy() : current.mergeIn(details));
    }

    private void audit(Router router, HttpMethod method, String path, String action, String resourceType,
            String idParameter) {
        router.route(method, path).handler(ctx -> {
            ctx.addBodyEndHandler(() -> record(ctx, action, resourceType, idParameter));
            ctx.next();
        });
    }

    private void record(RoutingContext ctx, String action, String resourceType, String idParameter) {
        int status = ctx.response().getStatusCode();
        String resourceId = ctx.get(RESOURCE_ID);
        if (resourceId == null && idParameter != null) {
            resourceId = ctx.pathParam(idParameter);
        }
        JsonObject details = new JsonObject()
                .put("method", ctx.request().method().name())
                .put("path", ctx.request().path())
                .put("status_code", status);
        JsonObject added = ctx.get(DETAILS);
        if (added != null) {
            details.mergeIn(added);
        }
        String actor = ctx.get(ApiKeyGuard.KEY_NAME);
        String ip = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        AuditEntry entry = new AuditEntry(ctx.get(ACTION, action), resourceType, resourceId,
                actor == null ? AuditEntry.ANONYMOUS : actor, ip == null || ip.length() > MAX_IP ? null : ip,
                ctx.request().getHeader("User-Agent"), details, status < 400);
        audits.record(entry).subscribe().with(done -> { }, failure -> LOG.error(
                "Could not write the audit entry {} {} of {} {}: {}", entry.action(), entry.status(),
                entry.resourceType(), entry.resourceId(), failure.getMessage()));
    }
}
