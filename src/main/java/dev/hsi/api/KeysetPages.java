package dev.hsi.api;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The half of event and log paging that is the same for both: one keyset page (the filter's parameters, then the
 * cursor's time and id, the rows to fetch and the offset) and, for a request without a cursor, the count of all
 * matching rows. As in the original, a request with a cursor counts nothing (0): later pages need no second count.
 */
final class KeysetPages {

    /** A page of rows and the count of all matches (0 when a cursor was given). */
    record Result(PageRequest.Slice page, long total) {
    }

    private KeysetPages() {
    }

    static Uni<Result> fetch(Pool pool, String pageSql, String countSql, List<Object> filter, PageRequest paging,
            String timeColumn) {
        PageCursor cursor = paging.cursor();
        List<Object> params = new ArrayList<>(filter);
        params.add(cursor == null ? null : cursor.atUtc());
        params.add(cursor == null ? null : cursor.id());
        params.add(paging.fetch());
        params.add(paging.offset());
        Uni<PageRequest.Slice> rows = pool.preparedQuery(pageSql).execute(Tuple.tuple(params))
                .map(RowJson::objects)
                .map(objects -> paging.slice(objects, timeColumn));
        Uni<Long> total = cursor != null ? Uni.createFrom().item(0L)
                : pool.preparedQuery(countSql).execute(Tuple.tuple(filter))
                        .map(result -> result.iterator().next().getLong("total"));
        return Uni.combine().all().unis(rows, total).asTuple()
                .map(both -> new Result(both.getItem1(), both.getItem2()));
    }
}
