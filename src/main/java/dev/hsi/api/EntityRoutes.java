package dev.hsi.api;

import dev.hsi.entity.Entity;
import dev.hsi.entity.EntityRepository;
import dev.hsi.entity.MissingDetectionException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Entities over HTTP: {@code GET /api/entities} (filters {@code entity_type}, {@code trust_status};
 * {@code limit}/{@code offset}), {@code GET /api/entities/{id}}, {@code POST /api/entities} (201) and
 * {@code PATCH /api/entities/{id}}. A primary detection that does not exist is a 400 with seed 000's message; an
 * unknown entity is a 404. The shapes are the table's columns: the original's appearance-based entity views belong
 * to re-identification, which HSI does not have yet.
 */
final class EntityRoutes {

    private static final int MAX_BODY_BYTES = 256 * 1024;

    private final EntityRepository entities;

    EntityRoutes(EntityRepository entities) {
        this.entities = entities;
    }

    void mount(Router router) {
        router.route("/api/entities*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
        router.get("/api/entities").respond(this::list);
        router.get("/api/entities/:id").respond(this::get);
        router.post("/api/entities").respond(this::create);
        router.patch("/api/entities/:id").respond(this::update);
    }

    private Uni<JsonObject> list(RoutingContext ctx) {
        QueryParams params = new QueryParams(ctx);
        int limit = params.limit();
        int offset = params.offset();
        return entities.list(params.oneOf("entity_type", Set.copyOf(Entity.ENTITY_TYPES)),
                        params.oneOf("trust_status", Set.copyOf(Entity.TRUST_STATUSES)), limit, offset)
                .map(page -> new JsonObject()
                        .put("entities", new JsonArray(page.entities().stream().map(Entity::toJson).toList()))
                        .put("count", page.total())
                        .put("limit", limit)
                        .put("offset", offset));
    }

    private Uni<JsonObject> get(RoutingContext ctx) {
        UUID id = entityId(ctx);
        return entities.get(id).map(found -> found.orElseThrow(() -> notFound(id)).toJson());
    }

    private Uni<JsonObject> create(RoutingContext ctx) {
        Entity entity = EntityBody.of(body(ctx)).toNewEntity(Instant.now());
        return entities.create(entity)
                .onFailure(MissingDetectionException.class).transform(failure -> ApiError.badRequest(failure.getMessage()))
                .map(created -> {
                    AuditTrail.resourceId(ctx, created.id());
                    ctx.response().setStatusCode(201);
                    return created.toJson();
                });
    }

    private Uni<JsonObject> update(RoutingContext ctx) {
        UUID id = entityId(ctx);
        var change = EntityBody.of(body(ctx)).toChange();
        return entities.update(id, change)
                .onFailure(MissingDetectionException.class).transform(failure -> ApiError.badRequest(failure.getMessage()))
                .map(updated -> updated.orElseThrow(() -> notFound(id)).toJson());
    }

    private static JsonObject body(RoutingContext ctx) {
        try {
            return ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw ApiError.badRequest("the request body must be a JSON object: " + e.getMessage());
        }
    }

    private static UUID entityId(RoutingContext ctx) {
        String value = ctx.pathParam("id");
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("id must be a UUID, got '" + value + "'");
        }
    }

    private static ApiError notFound(UUID id) {
        return ApiError.notFound("Entity " + id + " not found");
    }
}
