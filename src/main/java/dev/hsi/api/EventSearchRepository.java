package dev.hsi.api;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** Runs the event search and shapes it as the original's {@code {results, total_count, limit, offset}}. */
final class EventSearchRepository {

    private final Pool pool;

    EventSearchRepository(Pool pool) {
        this.pool = pool;
    }

    /** What to search for: the tsquery text and the filters (null: no filter). */
    record Search(String tsQuery, String[] cameraIds, String[] riskLevels, String[] objectTypes, Boolean reviewed,
            OffsetDateTime start, OffsetDateTime end) {

        List<Object> params() {
            return Arrays.asList(tsQuery, cameraIds, riskLevels, objectTypes, reviewed, start, end);
        }
    }

    /** The page of matches, most relevant first, with the total number of matches counted side by side. */
    Uni<JsonObject> search(Search search, int limit, int offset) {
        Tuple page = Tuple.tuple(search.params()).addInteger(limit).addInteger(offset);
        Uni<List<JsonObject>> results = pool.preparedQuery(EventSearchSql.SEARCH_EVENTS).execute(page)
                .map(RowJson::objects);
        Uni<Long> total = pool.preparedQuery(EventSearchSql.COUNT_MATCHES).execute(Tuple.tuple(search.params()))
                .map(rows -> rows.iterator().next().getLong("total"));
        return Uni.combine().all().unis(results, total).asTuple().map(both -> {
            both.getItem1().forEach(ReadRepository::withDetectionCount);
            return new JsonObject()
                    .put("results", new JsonArray(List.copyOf(both.getItem1())))
                    .put("total_count", both.getItem2())
                    .put("limit", limit)
                    .put("offset", offset);
        });
    }
}
