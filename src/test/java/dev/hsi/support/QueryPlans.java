package dev.hsi.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans of the application's real SQL text, read with {@code EXPLAIN (FORMAT JSON)}, to check which partitions a query
 * touches. Two kinds, because PostgreSQL prunes at two moments:
 * <ul>
 *   <li>{@link #custom}: the parameters bound as the server binds them (the reactive client), so the planner knows
 *       them and prunes while planning: pruned partitions are absent from the plan;</li>
 *   <li>{@link #generic}: a prepared statement under {@code plan_cache_mode = force_generic_plan}, planned without
 *       the values (what a cached statement may get after five runs): pruning then happens when the executor starts,
 *       shown as "Subplans Removed".</li>
 * </ul>
 */
public final class QueryPlans {

    private final Pool pool;

    public QueryPlans(Pool pool) {
        this.pool = pool;
    }

    public Plan custom(String sql, Tuple params) {
        Object json = pool.preparedQuery("EXPLAIN (FORMAT JSON) " + sql).execute(params).await().indefinitely()
                .iterator().next().getValue(0);
        return Plan.of(json);
    }

    /** {@code arguments}: SQL literals for EXECUTE, one per parameter ({@code 'cam01'}, {@code NULL}, {@code 50}). */
    public Plan generic(String sql, String... arguments) {
        Object json = pool.withConnection(connection -> connection.query("SET plan_cache_mode = force_generic_plan")
                        .execute()
                        .flatMap(set -> connection.query("PREPARE hsi_explained AS " + sql).execute())
                        .flatMap(prepared -> connection.query("EXPLAIN (FORMAT JSON) EXECUTE hsi_explained("
                                + String.join(", ", arguments) + ")").execute())
                        .call(explained -> connection.query("DEALLOCATE hsi_explained").execute())
                        .call(explained -> connection.query("RESET plan_cache_mode").execute()))
                .await().indefinitely().iterator().next().getValue(0);
        return Plan.of(json);
    }

    /** One plan, with what the partition checks need. */
    public record Plan(JsonObject root) {

        static Plan of(Object json) {
            JsonArray plans = json instanceof JsonArray array ? array : new JsonArray(json.toString());
            return new Plan(plans.getJsonObject(0).getJsonObject("Plan"));
        }

        /** Every table (partition) the plan scans. */
        public Set<String> relations() {
            Set<String> names = new TreeSet<>();
            collect(root, names);
            return names;
        }

        /** The partitions of {@code parent} the plan scans. */
        public Set<String> partitionsOf(String parent) {
            Set<String> names = new TreeSet<>();
            relations().stream().filter(name -> name.startsWith(parent + "_")).forEach(names::add);
            return names;
        }

        /** Partitions removed by run-time pruning, over all of the plan's appends. */
        public int subplansRemoved() {
            return removed(root);
        }

        private static void collect(JsonObject node, Set<String> names) {
            if (node.containsKey("Relation Name")) {
                names.add(node.getString("Relation Name"));
            }
            JsonArray children = node.getJsonArray("Plans");
            if (children != null) {
                children.forEach(child -> collect((JsonObject) child, names));
            }
        }

        private static int removed(JsonObject node) {
            int count = node.getInteger("Subplans Removed", 0);
            JsonArray children = node.getJsonArray("Plans");
            if (children != null) {
                for (Object child : children) {
                    count += removed((JsonObject) child);
                }
            }
            return count;
        }

        @Override
        public String toString() {
            return root.encodePrettily();
        }
    }
}
