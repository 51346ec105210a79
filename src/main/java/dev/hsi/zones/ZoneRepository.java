package dev.hsi.zones;

import dev.hsi.geometry.Polygon;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads and writes the {@code zones} of a camera. */
public final class ZoneRepository {

    private final Pool pool;

    public ZoneRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Boolean> cameraExists(String cameraId) {
        return pool.preparedQuery(ZoneSql.CAMERA_EXISTS).execute(Tuple.of(cameraId))
                .map(rows -> rows.iterator().next().getBoolean("found"));
    }

    /** @param enabled only enabled (true) or disabled (false) zones; null for all */
    public Uni<List<Zone>> list(String cameraId, Boolean enabled) {
        return pool.preparedQuery(ZoneSql.SELECT_ZONES).execute(Tuple.of(cameraId, enabled))
                .map(ZoneRepository::zones);
    }

    public Uni<Optional<Zone>> find(String cameraId, String zoneId) {
        return pool.preparedQuery(ZoneSql.SELECT_ZONE).execute(Tuple.of(cameraId, zoneId)).map(ZoneRepository::first);
    }

    /** Stores a new zone with a fresh UUID. */
    public Uni<Zone> insert(String cameraId, ZoneDraft draft) {
        Tuple params = fields(Tuple.of(UUID.randomUUID().toString(), cameraId), draft);
        return pool.preparedQuery(ZoneSql.INSERT_ZONE).execute(params).map(rows -> first(rows).orElseThrow());
    }

    /** Empty when the camera has no such zone. */
    public Uni<Optional<Zone>> update(String cameraId, String zoneId, ZoneDraft draft) {
        return pool.preparedQuery(ZoneSql.UPDATE_ZONE).execute(fields(Tuple.of(cameraId, zoneId), draft))
                .map(ZoneRepository::first);
    }

    /** False when the camera had no such zone. */
    public Uni<Boolean> delete(String cameraId, String zoneId) {
        return pool.preparedQuery(ZoneSql.DELETE_ZONE).execute(Tuple.of(cameraId, zoneId))
                .map(rows -> rows.rowCount() > 0);
    }

    private static Tuple fields(Tuple key, ZoneDraft draft) {
        return key.addString(draft.name()).addString(draft.zoneType()).addValue(draft.coordinates().toJson())
                .addString(draft.shape()).addString(draft.color()).addBoolean(draft.enabled())
                .addInteger(draft.priority());
    }

    private static List<Zone> zones(RowSet<Row> rows) {
        List<Zone> zones = new ArrayList<>(rows.size());
        rows.forEach(row -> zones.add(fromRow(row)));
        return zones;
    }

    private static Optional<Zone> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(fromRow(rows.iterator().next()));
    }

    private static Zone fromRow(Row row) {
        ZoneDraft draft = new ZoneDraft(row.getString("name"), row.getString("zone_type"),
                Polygon.fromJson((JsonArray) row.getValue("coordinates")), row.getString("shape"),
                row.getString("color"), row.getBoolean("enabled"), row.getInteger("priority"));
        return new Zone(row.getString("id"), row.getString("camera_id"), draft,
                row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
    }
}
