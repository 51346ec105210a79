package dev.hsi.api;

import dev.hsi.config.LlmConfig;
import dev.hsi.prompt.DefaultPrompts;
import dev.hsi.prompt.PromptConfig;
import dev.hsi.prompt.PromptConflictException;
import dev.hsi.prompt.PromptRepository;
import dev.hsi.prompt.PromptVersion;
import dev.hsi.prompt.PromptVersionNotFoundException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The risk analyser's stored prompt: read, update with an optimistic lock ({@code expected_version}; 409 when it is
 * stale), history, and restore of an older version (as a new version). Mounted twice: under {@code /api/prompts}
 * and under the original's {@code /api/ai-audit/prompts}, with the original's JSON shapes.
 */
public final class PromptRoutes {

    private static final long MAX_BODY_BYTES = 256 * 1024;
    private static final int DEFAULT_HISTORY_LIMIT = 50;
    private static final int MAX_HISTORY_LIMIT = 500;
    private static final String DEFAULT_ACTOR = "api";

    private final PromptRepository prompts;

    public PromptRoutes(Pool pool) {
        this.prompts = new PromptRepository(pool);
    }

    public void mount(Router router) {
        BodyHandler bodies = BodyHandler.create().setBodyLimit(MAX_BODY_BYTES);
        router.get("/api/prompts/:model").respond(ctx -> current(model(ctx)));
        router.put("/api/prompts/:model").handler(bodies).respond(ctx -> update(ctx, model(ctx)));
        router.get("/api/prompts/:model/history").respond(ctx -> history(ctx, model(ctx)));
        router.post("/api/prompts/:model/history/:version/restore").handler(bodies)
                .respond(ctx -> restore(ctx, model(ctx)));

        router.get("/api/ai-audit/prompts/history/:model").respond(ctx -> history(ctx, model(ctx)));
        router.post("/api/ai-audit/prompts/history/:version").handler(bodies)
                .respond(ctx -> restore(ctx, modelParam(ctx)));
        router.get("/api/ai-audit/prompts/:model").respond(ctx -> current(model(ctx)));
        router.put("/api/ai-audit/prompts/:model").handler(bodies).respond(ctx -> update(ctx, model(ctx)));
    }

    private Uni<JsonObject> current(String model) {
        return prompts.current(model).map(config -> config.orElseThrow(() -> unknown(model)).toJson());
    }

    private Uni<JsonObject> update(RoutingContext ctx, String model) {
        PromptBody body = PromptBody.of(ctx, false);
        return prompts.current(model).onItem().transformToUni(current -> {
            PromptConfig now = current.orElseThrow(() -> unknown(model));
            return prompts.update(model, body.settingsOver(now.settings()), body.expectedVersion(),
                    body.text("created_by", DEFAULT_ACTOR), body.text("change_description", null));
        }).map(PromptConfig::toJson).onFailure(PromptConflictException.class).transform(PromptRoutes::conflict);
    }

    private Uni<JsonObject> history(RoutingContext ctx, String model) {
        QueryParams params = new QueryParams(ctx);
        int limit = params.integer("limit", DEFAULT_HISTORY_LIMIT, 1, MAX_HISTORY_LIMIT);
        int offset = params.integer("offset", 0, 0, Integer.MAX_VALUE);
        return prompts.history(model, limit, offset).map(history -> new JsonObject()
                .put("versions", new JsonArray(history.versions().stream().map(PromptVersion::toJson).toList()))
                .put("total_count", history.totalCount()));
    }

    private Uni<JsonObject> restore(RoutingContext ctx, String model) {
        long requested = new QueryParams(ctx).pathId("version");
        if (requested > Integer.MAX_VALUE) {
            throw ApiError.notFound("Version " + requested + " of the " + model + " prompt not found");
        }
        int version = (int) requested;
        PromptBody body = PromptBody.of(ctx, true);
        return prompts.restore(model, version, body.expectedVersion(), body.text("created_by", DEFAULT_ACTOR),
                        body.text("description", null))
                .map(restored -> new JsonObject()
                        .put("restored_version", restored.restoredVersion())
                        .put("model", model)
                        .put("new_version", restored.current().version())
                        .put("message", "Successfully restored version " + restored.restoredVersion()
                                + " as new version " + restored.current().version())
                        .put("config", restored.current().settings().toJson()))
                .onFailure(PromptConflictException.class).transform(PromptRoutes::conflict)
                .onFailure(PromptVersionNotFoundException.class).transform(e -> ApiError.notFound(e.getMessage()));
    }

    private static String model(RoutingContext ctx) {
        return known(ctx.pathParam("model"));
    }

    /** The original's restore names the model in the query ({@code ?model=}), the risk analyser's by default. */
    private static String modelParam(RoutingContext ctx) {
        String model = new QueryParams(ctx).text("model");
        return known(model == null ? LlmConfig.NEMOTRON : model);
    }

    private static String known(String model) {
        if (!DefaultPrompts.known(model)) {
            throw unknown(model);
        }
        return model;
    }

    private static ApiError unknown(String model) {
        return ApiError.notFound("No prompt for model '" + model + "': HSI prompts " + DefaultPrompts.knownModels());
    }

    private static Throwable conflict(Throwable failure) {
        return ApiError.conflict(failure.getMessage());
    }
}
