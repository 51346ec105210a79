package dev.hsi.retention;

import dev.hsi.bus.OrphanedReferences;
import dev.hsi.metrics.Gauges;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Integrity in the application for the references listed in {@link OrphanReference}: counts those whose row no
 * longer exists, and clears them (sets them to NULL), as seed 000's cleanup job does. The counts found, before
 * clearing, are the metric {@value #FOUND}; the total cleared is {@value #CLEARED}.
 */
final class OrphanSweep {

    static final String FOUND = "hsi_orphaned_references";
    static final String CLEARED = "hsi_orphaned_references_cleared_total";
    private static final String LABEL = "reference";
    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweep.class);

    private final Pool pool;
    private final Gauges gauges;

    OrphanSweep(Pool pool, Gauges gauges) {
        this.pool = pool;
        this.gauges = gauges;
    }

    /** How many orphaned references there are now, per column. */
    Uni<OrphanedReferences> count() {
        Map<String, Long> counts = new LinkedHashMap<>();
        return Multi.createFrom().items(OrphanReference.values())
                .onItem().transformToUniAndConcatenate(reference -> count(pool, reference)
                        .invoke(found -> counts.put(reference.column(), found)))
                .collect().last()
                .map(done -> new OrphanedReferences(counts));
    }

    /**
     * Counts and clears each column's orphaned references, in one transaction per column: the metric is set to
     * what was found before anything was cleared. Returns the counts found.
     */
    Uni<OrphanedReferences> clear() {
        Map<String, Long> found = new LinkedHashMap<>();
        return Multi.createFrom().items(OrphanReference.values())
                .onItem().transformToUniAndConcatenate(reference -> pool.withTransaction(conn -> count(conn, reference)
                        .invoke(orphans -> {
                            found.put(reference.column(), orphans);
                            gauges.set(FOUND, "References into partitioned tables whose row was gone at the last"
                                    + " integrity check, counted before they were cleared", LABEL, reference.column(),
                                    orphans);
                        })
                        .flatMap(orphans -> conn.preparedQuery(reference.clearSql()).execute())
                        .invoke(rows -> gauges.add(CLEARED, "References set to NULL because their row was gone",
                                LABEL, reference.column(), rows.rowCount()))))
                .collect().last()
                .map(done -> new OrphanedReferences(found))
                .invoke(result -> {
                    if (result.total() > 0) {
                        LOG.info("Integrity check cleared {} orphaned reference(s): {}", result.total(),
                                result.byReference());
                    }
                });
    }

    private static Uni<Long> count(SqlClient client, OrphanReference reference) {
        return client.preparedQuery(reference.countSql()).execute()
                .map(rows -> rows.iterator().next().getLong("orphans"));
    }
}
