package dev.hsi.api;

import dev.hsi.bus.Addresses;
import dev.hsi.bus.ZonesChanged;
import dev.hsi.zones.InvalidZoneException;
import dev.hsi.zones.Zone;
import dev.hsi.zones.ZoneDraft;
import dev.hsi.zones.ZoneInput;
import dev.hsi.zones.ZoneRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Pool;
import java.util.List;
import java.util.function.Supplier;

/**
 * The original's zone API, nested under cameras: list ({@code ?enabled=}), create (201), get, partial update, delete
 * (204). Every committed change is announced as {@link ZonesChanged}, so the detect stage reloads its zone cache.
 */
public final class ZoneRoutes {

    private final ZoneRepository zones;
    private final EventBus bus;

    public ZoneRoutes(Pool pool, EventBus bus) {
        this.zones = new ZoneRepository(pool);
        this.bus = bus;
    }

    public void mount(Router router) {
        router.get("/api/cameras/:id/zones").respond(this::list);
        router.post("/api/cameras/:id/zones").handler(JsonBody.reader()).respond(this::create);
        router.get("/api/cameras/:id/zones/:zone_id").respond(this::get);
        router.put("/api/cameras/:id/zones/:zone_id").handler(JsonBody.reader()).respond(this::update);
        router.delete("/api/cameras/:id/zones/:zone_id").handler(this::delete);
    }

    private Uni<JsonObject> list(RoutingContext ctx) {
        String cameraId = ctx.pathParam("id");
        Boolean enabled = new QueryParams(ctx).bool("enabled");
        return existingCamera(cameraId).onItem().transformToUni(ok -> zones.list(cameraId, enabled))
                .map(found -> {
                    List<JsonObject> json = found.stream().map(Zone::toJson).toList();
                    return new JsonObject().put("zones", new JsonArray(json)).put("count", json.size());
                });
    }

    private Uni<JsonObject> create(RoutingContext ctx) {
        String cameraId = ctx.pathParam("id");
        ZoneDraft draft = valid(() -> ZoneInput.forCreate(JsonBody.object(ctx, false)));
        return existingCamera(cameraId)
                .onItem().transformToUni(ok -> zones.insert(cameraId, draft))
                .map(zone -> {
                    announce(cameraId);
                    AuditTrail.resourceId(ctx, zone.id());
                    ctx.response().setStatusCode(201);
                    return zone.toJson();
                });
    }

    private Uni<JsonObject> get(RoutingContext ctx) {
        String cameraId = ctx.pathParam("id");
        String zoneId = ctx.pathParam("zone_id");
        return existingCamera(cameraId).onItem().transformToUni(ok -> zones.find(cameraId, zoneId))
                .map(zone -> zone.orElseThrow(() -> zoneNotFound(cameraId, zoneId)).toJson());
    }

    private Uni<JsonObject> update(RoutingContext ctx) {
        String cameraId = ctx.pathParam("id");
        String zoneId = ctx.pathParam("zone_id");
        JsonObject body = JsonBody.object(ctx, false);
        return existingCamera(cameraId)
                .onItem().transformToUni(ok -> zones.find(cameraId, zoneId))
                .onItem().transformToUni(current -> {
                    Zone zone = current.orElseThrow(() -> zoneNotFound(cameraId, zoneId));
                    ZoneDraft draft = valid(() -> ZoneInput.forUpdate(zone.fields(), body));
                    return zones.update(cameraId, zoneId, draft);
                })
                .map(updated -> {
                    Zone zone = updated.orElseThrow(() -> zoneNotFound(cameraId, zoneId));
                    announce(cameraId);
                    return zone.toJson();
                });
    }

    private void delete(RoutingContext ctx) {
        String cameraId = ctx.pathParam("id");
        String zoneId = ctx.pathParam("zone_id");
        existingCamera(cameraId).onItem().transformToUni(ok -> zones.delete(cameraId, zoneId))
                .subscribe().with(deleted -> {
                    if (!deleted) {
                        ctx.fail(zoneNotFound(cameraId, zoneId));
                        return;
                    }
                    announce(cameraId);
                    ctx.response().setStatusCode(204).endAndForget();
                }, ctx::fail);
    }

    private Uni<Boolean> existingCamera(String cameraId) {
        return zones.cameraExists(cameraId).invoke(exists -> {
            if (!exists) {
                throw ApiError.notFound("Camera '" + cameraId + "' not found");
            }
        });
    }

    private void announce(String cameraId) {
        bus.publish(Addresses.ZONES_CHANGED, new ZonesChanged(cameraId));
    }

    private static ApiError zoneNotFound(String cameraId, String zoneId) {
        return ApiError.notFound("Zone '" + zoneId + "' not found for camera '" + cameraId + "'");
    }

    private static ZoneDraft valid(Supplier<ZoneDraft> reading) {
        try {
            return reading.get();
        } catch (InvalidZoneException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }
}
