package dev.hsi.detect;

import dev.hsi.geometry.Polygon;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the {@link ZoneIndex} from the {@code zones} table: once at start, and again whenever zones change. Reloads
 * never overlap: a change announced during a reload triggers one more reload after it, so the index always ends up
 * at least as new as the last change. Used from the detect verticle's context only.
 */
final class ZoneLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ZoneLoader.class);

    private final Pool pool;
    private final ZoneIndex index;
    private boolean loading;
    private boolean changedMeanwhile;

    ZoneLoader(Pool pool, ZoneIndex index) {
        this.pool = pool;
        this.index = index;
    }

    /** Loads every enabled zone into the index; the number loaded. */
    Uni<Integer> load() {
        return pool.query(DetectionSql.SELECT_ENABLED_ZONES).execute().map(rows -> {
            Map<String, List<ZoneIndex.Area>> byCamera = new HashMap<>();
            for (Row row : rows) {
                String zoneId = row.getString("id");
                try {
                    Polygon polygon = Polygon.fromJson((JsonArray) row.getValue("coordinates"));
                    byCamera.computeIfAbsent(row.getString("camera_id"), camera -> new ArrayList<>())
                            .add(new ZoneIndex.Area(zoneId, polygon));
                } catch (RuntimeException e) {
                    LOG.warn("Zone {} is ignored: its coordinates are not a polygon ({})", zoneId, e.getMessage());
                }
            }
            index.replace(byCamera);
            return index.size();
        });
    }

    /** Reloads after a change, without overlapping a reload in progress; failures are logged and retried later. */
    void reload() {
        if (loading) {
            changedMeanwhile = true;
            return;
        }
        loading = true;
        load().subscribe().with(count -> {
            LOG.debug("Zone index reloaded: {} enabled zone(s)", count);
            finished();
        }, failure -> {
            LOG.warn("Reloading the zones failed ({}); the previous zones stay in use until the next change or the "
                    + "periodic reload", failure.getMessage());
            finished();
        });
    }

    private void finished() {
        loading = false;
        if (changedMeanwhile) {
            changedMeanwhile = false;
            reload();
        }
    }
}
