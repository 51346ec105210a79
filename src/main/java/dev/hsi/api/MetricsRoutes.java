package dev.hsi.api;

import dev.hsi.metrics.Gauges;
import io.vertx.mutiny.ext.web.Router;

/** {@code GET /api/metrics}: the original's Prometheus text endpoint, with HSI's gauges and counters. */
final class MetricsRoutes {

    private final Gauges gauges;

    MetricsRoutes(Gauges gauges) {
        this.gauges = gauges;
    }

    void mount(Router router) {
        router.get("/api/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .endAndForget(gauges.exposition()));
    }
}
