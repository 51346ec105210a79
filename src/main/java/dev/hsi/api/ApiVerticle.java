package dev.hsi.api;

import dev.hsi.audit.AuditRepository;
import dev.hsi.bus.Addresses;
import dev.hsi.bus.AlertChanged;
import dev.hsi.bus.RedisKeys;
import dev.hsi.bus.SecurityEvent;
import dev.hsi.config.ApiConfig;
import dev.hsi.entity.EntityRepository;
import dev.hsi.config.QueueConfig;
import dev.hsi.media.ThumbnailWriter;
import dev.hsi.metrics.Gauges;
import dev.hsi.metrics.StageTimings;
import dev.hsi.resilience.CircuitBreakers;
import dev.hsi.queue.QueueBoard;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.WorkerExecutor;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpServer;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.handler.StaticHandler;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP face of HSI: REST API with the original's routes and shapes, {@code /ws/events}, the dashboard page. */
public final class ApiVerticle extends AbstractVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
    private static final Duration WEBSOCKET_PING_INTERVAL = Duration.ofSeconds(30);
    private static final Duration READY_PROBE_TIMEOUT = Duration.ofSeconds(3);
    /** How soon a key switched off in table api_keys stops working. */
    private static final Duration API_KEY_RELOAD_INTERVAL = Duration.ofMinutes(1);

    private final ApiConfig config;
    private final QueueConfig queues;
    private final CircuitBreakers breakers;
    private final DetectionImages images;
    private final Pool pool;
    private final RedisAPI redis;
    private final StageTimings timings;
    private final EventsWebSocket webSocket = new EventsWebSocket();
    private ReadRepository reads;
    private WorkerExecutor media;
    private HttpServer server;

    public ApiVerticle(ApiConfig config, QueueConfig queues, ThumbnailWriter thumbnails, Pool pool, RedisAPI redis,
            StageTimings timings, CircuitBreakers breakers) {
        this.breakers = breakers;
        this.config = config;
        this.queues = queues;
        this.images = new DetectionImages(thumbnails);
        this.pool = pool;
        this.redis = redis;
        this.timings = timings;
    }

    @Override
    public Uni<Void> asyncStart() {
        reads = new ReadRepository(pool);
        media = vertx.createSharedWorkerExecutor("hsi-api-media", 2);
        ApiKeyGuard apiKeys = new ApiKeyGuard(config.apiKeyEnabled(), config.apiKeys(), pool);
        Router router = Router.router(vertx);
        router.route().handler(apiKeys::handle);
        AuditRepository audits = new AuditRepository(pool);
        new AuditTrail(audits).mount(router); // before the routes it audits
        router.get("/health").respond(ctx -> Uni.createFrom().item(new JsonObject().put("status", "alive")));
        router.get("/ready").respond(this::ready);
        router.get("/api/cameras").respond(ctx -> reads.cameras());
        router.get("/api/cameras/:id").respond(ctx -> reads.camera(ctx.pathParam("id")));
        router.get("/api/detections").respond(this::listDetections);
        router.get("/api/detections/:id").respond(ctx -> reads.detection(new QueryParams(ctx).pathId("id")));
        router.get("/api/detections/:id/image").handler(this::detectionImage);
        new EventRoutes(reads, pool).mount(router);
        new LogRoutes(pool).mount(router);
        new AuditRoutes(audits).mount(router);
        router.get("/api/system/pipeline-latency").respond(ctx -> Uni.createFrom().item(timings.snapshot()));
        new DlqRoutes(redis, queues).mount(router);
        new CircuitBreakerRoutes(breakers).mount(router);
        new SystemRoutes(vertx.eventBus(), pool).mount(router);
        new EntityRoutes(new EntityRepository(pool)).mount(router);
        new MetricsRoutes(Gauges.of(vertx)).mount(router);
        new PromptRoutes(pool).mount(router);
        new ZoneRoutes(pool, vertx.eventBus()).mount(router);
        new AlertRuleRoutes(pool).mount(router); // before AlertRoutes: /api/alerts/rules is not an alert id
        new AlertRoutes(pool, vertx.eventBus()).mount(router);
        new NotificationRoutes(vertx.eventBus()).mount(router);
        router.get("/ws/events").handler(this::upgradeToWebSocket);
        router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
        router.route().last().handler(ctx -> ctx.fail(ApiError.notFound("Not Found: " + ctx.request().path())));
        router.route().failureHandler(this::fail);

        vertx.eventBus().<SecurityEvent>consumer(Addresses.EVENT_CREATED).handler(m -> webSocket.broadcast(m.body()));
        vertx.eventBus().<AlertChanged>consumer(Addresses.ALERT_CHANGED).handler(m -> webSocket.broadcast(m.body()));
        vertx.setPeriodic(WEBSOCKET_PING_INTERVAL.toMillis(), id -> webSocket.pingAll());
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host()).setPort(config.port())
                .setMaxWebSocketMessageSize(EventsWebSocket.MAX_MESSAGE_BYTES)
                .setCompressionSupported(true);
        vertx.setPeriodic(API_KEY_RELOAD_INTERVAL.toMillis(), id -> apiKeys.reload().subscribe().with(
                done -> { }, failure -> LOG.warn("Could not reload the API keys: {}", failure.getMessage())));
        return apiKeys.start()
                .onItem().transformToUni(ignored -> vertx.createHttpServer(options).requestHandler(router).listen())
                .invoke(listening -> {
                    server = listening;
                    LOG.info("HTTP API, WebSocket /ws/events and dashboard on http://{}:{}/",
                            config.host(), listening.actualPort());
                })
                .replaceWithVoid();
    }

    public int port() {
        return server.actualPort();
    }

    private Uni<JsonObject> listDetections(RoutingContext ctx) {
        QueryParams params = new QueryParams(ctx);
        var range = params.dateRange();
        List<Object> filter = Arrays.asList(params.text("camera_id"), params.text("object_type"), range[0], range[1],
                params.fraction("min_confidence"));
        return reads.detectionsPage(filter, params.limit(), params.offset());
    }

    /** The detection's thumbnail JPEG, drawn now on a worker if it is missing; cacheable as in the original. */
    private void detectionImage(RoutingContext ctx) {
        long id = new QueryParams(ctx).pathId("id");
        reads.detectionSource(id)
                .onItem().transformToUni(source -> media.executeBlocking(() -> images.thumbnail(id, source), false))
                .subscribe().with(
                        jpeg -> ctx.response()
                                .putHeader("content-type", "image/jpeg")
                                .putHeader("cache-control", "public, max-age=3600")
                                .endAndForget(Buffer.buffer(jpeg)),
                        ctx::fail);
    }

    /**
     * 200 when PostgreSQL and Redis answer, else 503 naming what is down. {@code paused_stages} names the stages
     * whose queue consumers wait for a service (an outage pauses them rather than failing their jobs).
     */
    private Uni<JsonObject> ready(RoutingContext ctx) {
        Uni<String> database = pool.query("SELECT 1").execute().map(rows -> "healthy")
                .ifNoItem().after(READY_PROBE_TIMEOUT).fail()
                .onFailure().recoverWithItem(failure -> "unhealthy: " + failure.getMessage());
        Uni<String> cache = redis.ping(List.of()).map(pong -> "healthy")
                .ifNoItem().after(READY_PROBE_TIMEOUT).fail()
                .onFailure().recoverWithItem(failure -> "unhealthy: " + failure.getMessage());
        return Uni.combine().all().unis(database, cache).asTuple().map(states -> {
            boolean ready = states.getItem1().equals("healthy") && states.getItem2().equals("healthy");
            JsonObject paused = new JsonObject();
            QueueBoard.of(vertx).pausedQueues().forEach((queue, pause) -> paused.put(stageOf(queue), new JsonObject()
                    .put("queue", queue)
                    .put("waiting_for", new JsonArray(List.copyOf(pause.down())))
                    .put("since", pause.since().toString())
                    .put("reason", pause.reason())));
            ctx.response().setStatusCode(ready ? 200 : 503);
            return new JsonObject()
                    .put("ready", ready)
                    .put("status", ready ? "ready" : "not_ready")
                    .put("services", new JsonObject().put("database", states.getItem1()).put("redis", states.getItem2()))
                    .put("paused_stages", paused)
                    .put("websocket_clients", webSocket.clientCount());
        });
    }

    private static String stageOf(String queue) {
        return switch (queue) {
            case RedisKeys.DETECTION_QUEUE -> "detect";
            case RedisKeys.ANALYSIS_QUEUE -> "analyze";
            default -> queue;
        };
    }

    private void upgradeToWebSocket(RoutingContext ctx) {
        ctx.request().toWebSocket().subscribe().with(webSocket::accept,
                failure -> LOG.debug("WebSocket upgrade refused: {}", failure.getMessage()));
    }

    /** The one place failures become responses: {@code {"detail": ...}} with the right status. */
    private void fail(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status;
        String detail;
        if (failure instanceof ApiError error) {
            status = error.status();
            detail = error.getMessage();
        } else if (failure == null) {
            status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            detail = status == 404 ? "Not Found" : "Request failed";
        } else {
            status = 500;
            detail = "Internal error: " + failure.getMessage();
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
        }
        if (!ctx.response().headWritten()) {
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .endAndForget(new JsonObject().put("detail", detail).encode());
        }
    }

    @Override
    public Uni<Void> asyncStop() {
        return server == null ? Uni.createFrom().voidItem() : server.close();
    }
}
