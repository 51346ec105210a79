package dev.hsi.api;

import dev.hsi.bus.Addresses;
import dev.hsi.bus.BusError;
import dev.hsi.bus.CleanupReport;
import dev.hsi.bus.CleanupRequest;
import dev.hsi.bus.OrphanedReferences;
import io.smallrye.mutiny.Uni;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Pool;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The original's {@code POST /api/system/cleanup?dry_run=} (the retention cleanup, run by the retention verticle;
 * 409 while one runs) and {@code GET /api/system/stats} (totals and uptime), to which HSI adds the references into
 * partitioned tables whose row is gone ({@code orphaned_references}, decision record 0007).
 */
final class SystemRoutes {

    /** A cleanup of a large database takes a while: the reply is awaited this long. */
    private static final Duration CLEANUP_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration COUNT_TIMEOUT = Duration.ofMinutes(2);

    private final EventBus bus;
    private final Pool pool;

    SystemRoutes(EventBus bus, Pool pool) {
        this.bus = bus;
        this.pool = pool;
    }

    void mount(Router router) {
        router.post("/api/system/cleanup").respond(this::cleanup);
        router.get("/api/system/stats").respond(ctx -> stats());
    }

    private Uni<JsonObject> cleanup(RoutingContext ctx) {
        Boolean dryRun = new QueryParams(ctx).bool("dry_run");
        return bus.<CleanupReport>request(Addresses.RUN_CLEANUP, new CleanupRequest(Boolean.TRUE.equals(dryRun)),
                        new DeliveryOptions().setSendTimeout(CLEANUP_TIMEOUT.toMillis()))
                .map(reply -> reply.body().toJson())
                .onFailure(ReplyException.class).transform(SystemRoutes::asApiError);
    }

    private Uni<JsonObject> stats() {
        Uni<JsonObject> totals = pool.query(SystemSql.SELECT_TOTALS).execute()
                .map(rows -> RowJson.object(rows.iterator().next()));
        Uni<OrphanedReferences> orphans = bus.<OrphanedReferences>request(Addresses.COUNT_ORPHANED_REFERENCES, null,
                        new DeliveryOptions().setSendTimeout(COUNT_TIMEOUT.toMillis()))
                .map(reply -> reply.body())
                .onFailure(ReplyException.class).transform(SystemRoutes::asApiError);
        return Uni.combine().all().unis(totals, orphans).asTuple().map(both -> both.getItem1()
                .put("uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000)
                .put("orphaned_references", both.getItem2().total())
                .put("orphaned_references_by_column", both.getItem2().toJson()));
    }

    private static Throwable asApiError(Throwable failure) {
        ReplyException reply = (ReplyException) failure;
        return BusError.of(reply.failureCode()) == BusError.BUSY
                ? new ApiError(BusError.BUSY.code(), reply.getMessage())
                : new ApiError(500, reply.getMessage());
    }
}
