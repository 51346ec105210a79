package dev.hsi.api;

import dev.hsi.alerts.AlertRepository;
import dev.hsi.alerts.AlertRule;
import dev.hsi.alerts.AlertRuleRepository;
import dev.hsi.alerts.InvalidRuleException;
import dev.hsi.alerts.RuleFields;
import dev.hsi.alerts.RuleInput;
import dev.hsi.alerts.RuleTester;
import dev.hsi.alerts.Severity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Pool;
import java.util.HashSet;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The original's alert rule API: list ({@code ?enabled&severity&limit&offset}, by name, as
 * {@code {items, pagination}}), create (201), get, partial update, delete (204), and a dry run against past events.
 */
public final class AlertRuleRoutes {

    private final AlertRuleRepository rules;
    private final RuleTester tester;

    public AlertRuleRoutes(Pool pool) {
        this.rules = new AlertRuleRepository(pool);
        this.tester = new RuleTester(new AlertRepository(pool));
    }

    public void mount(Router router) {
        router.get("/api/alerts/rules").respond(this::list);
        router.post("/api/alerts/rules").handler(JsonBody.reader()).respond(this::create);
        router.get("/api/alerts/rules/:rule_id").respond(ctx -> existing(ctx).map(AlertRule::toJson));
        router.put("/api/alerts/rules/:rule_id").handler(JsonBody.reader()).respond(this::update);
        router.delete("/api/alerts/rules/:rule_id").handler(this::delete);
        router.post("/api/alerts/rules/:rule_id/test").handler(JsonBody.reader()).respond(this::test);
    }

    private Uni<JsonObject> list(RoutingContext ctx) {
        QueryParams params = new QueryParams(ctx);
        Boolean enabled = params.bool("enabled");
        String severity = params.oneOf("severity", new HashSet<>(Severity.NAMES));
        int limit = params.limit();
        int offset = params.offset();
        return rules.page(enabled, severity, limit, offset).map(page -> Pages.of(
                new JsonArray(page.rules().stream().map(AlertRule::toJson).toList()), page.total(), limit, offset));
    }

    private Uni<JsonObject> create(RoutingContext ctx) {
        RuleFields fields = valid(() -> RuleInput.forCreate(JsonBody.object(ctx, false)));
        return rules.insert(fields).map(rule -> {
            AuditTrail.resourceId(ctx, rule.id());
            ctx.response().setStatusCode(201);
            return rule.toJson();
        });
    }

    private Uni<JsonObject> update(RoutingContext ctx) {
        JsonObject body = JsonBody.object(ctx, false);
        return existing(ctx).onItem().transformToUni(rule -> rules.update(rule.id(),
                        valid(() -> RuleInput.forUpdate(rule.fields(), body))))
                .map(updated -> updated.orElseThrow(() -> notFound(ctx.pathParam("rule_id"))).toJson());
    }

    private void delete(RoutingContext ctx) {
        UUID id = ruleId(ctx);
        rules.delete(id).subscribe().with(deleted -> {
            if (deleted) {
                ctx.response().setStatusCode(204).endAndForget();
            } else {
                ctx.fail(notFound(id.toString()));
            }
        }, ctx::fail);
    }

    private Uni<JsonObject> test(RoutingContext ctx) {
        JsonObject body = JsonBody.object(ctx, true);
        return existing(ctx).onItem().transformToUni(rule -> {
            try {
                return tester.test(rule, body);
            } catch (InvalidRuleException e) {
                throw ApiError.badRequest(e.getMessage());
            }
        });
    }

    private Uni<AlertRule> existing(RoutingContext ctx) {
        UUID id = ruleId(ctx);
        return rules.find(id).map(rule -> rule.orElseThrow(() -> notFound(id.toString())));
    }

    static UUID uuid(RoutingContext ctx, String name) {
        String value = ctx.pathParam(name);
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(name + " must be a UUID, got '" + value + "'");
        }
    }

    private static UUID ruleId(RoutingContext ctx) {
        return uuid(ctx, "rule_id");
    }

    private static ApiError notFound(String id) {
        return ApiError.notFound("Alert rule " + id + " not found");
    }

    private static RuleFields valid(Supplier<RuleFields> reading) {
        try {
            return reading.get();
        } catch (InvalidRuleException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }
}
