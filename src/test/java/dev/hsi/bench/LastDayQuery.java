package dev.hsi.bench;

import dev.hsi.api.ApiQueries;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code GET /api/detections?camera_id=X&start_date=<24 h ago>} runs: the API's page query (50 rows, newest
 * first) and its count, side by side, with the API's own SQL text, through the reactive client. The same text runs
 * on the partitioned table and on the unpartitioned copy (a pool whose search_path puts the copy's schema first).
 */
final class LastDayQuery {

    static final int PAGE = 50;

    private final String camera;
    private final Instant since;

    LastDayQuery(String camera, Instant since) {
        this.camera = camera;
        this.since = since;
    }

    private List<Object> filter() {
        return Arrays.asList(camera, null, since.atOffset(ZoneOffset.UTC), null, null);
    }

    /** Milliseconds the pair took; fails if the two tables ever disagree on the count. */
    double millis(Pool pool, long expectedCount) {
        List<Object> page = new ArrayList<>(filter());
        page.add(PAGE);
        page.add(0);
        long started = System.nanoTime();
        Uni<Integer> rows = pool.preparedQuery(ApiQueries.DETECTIONS_PAGE).execute(Tuple.tuple(page)).map(r -> r.size());
        Uni<Long> count = pool.preparedQuery(ApiQueries.DETECTIONS_COUNT).execute(Tuple.tuple(filter()))
                .map(r -> r.iterator().next().getLong("total"));
        var both = Uni.combine().all().unis(rows, count).asTuple().await().indefinitely();
        double millis = (System.nanoTime() - started) / 1e6;
        if (expectedCount >= 0 && both.getItem2() != expectedCount) {
            throw new IllegalStateException("count " + both.getItem2() + " where " + expectedCount + " was expected");
        }
        return millis;
    }

    long count(Pool pool) {
        return pool.preparedQuery(ApiQueries.DETECTIONS_COUNT).execute(Tuple.tuple(filter()))
                .map(r -> r.iterator().next().getLong("total")).await().indefinitely();
    }

    /** EXPLAIN (ANALYZE, BUFFERS) of the page query, as text. */
    String explain(Pool pool) {
        List<Object> page = new ArrayList<>(filter());
        page.add(PAGE);
        page.add(0);
        StringBuilder plan = new StringBuilder();
        for (Row row : pool.preparedQuery("EXPLAIN (ANALYZE, BUFFERS) " + ApiQueries.DETECTIONS_PAGE)
                .execute(Tuple.tuple(page)).await().indefinitely()) {
            plan.append(row.getString(0)).append('\n');
        }
        return plan.toString();
    }
}
