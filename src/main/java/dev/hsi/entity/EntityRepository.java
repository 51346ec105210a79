package dev.hsi.entity;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The entities aggregate. Integrity in the application (seeds 000 and 004, decision record 0007): every write that
 * stores a {@code primary_detection_id} first checks, in the same transaction, that the detection exists, and fails
 * with {@link MissingDetectionException} otherwise. The check locks the detection until the write commits, so the
 * reference cannot dangle from the moment it is written; retention later removes detections, and the nightly orphan
 * sweep clears references to them.
 */
public final class EntityRepository {

    private final Pool pool;

    public EntityRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores a new entity; fails with {@link MissingDetectionException} for an unknown primary detection. */
    public Uni<Entity> create(Entity entity) {
        return pool.withTransaction(conn -> checkPrimaryDetection(conn, entity.primaryDetectionId())
                .flatMap(checked -> conn.preparedQuery(EntitySql.INSERT_ENTITY).execute(Tuple.tuple(values(entity))))
                .map(rows -> fromRow(rows.iterator().next())));
    }

    /**
     * Applies {@code change} to the stored entity and writes the result, the row locked in between; empty when no
     * entity has this id. Fails with {@link MissingDetectionException} when the result names an unknown detection.
     */
    public Uni<Optional<Entity>> update(UUID id, UnaryOperator<Entity> change) {
        return pool.withTransaction(conn -> conn.preparedQuery(EntitySql.SELECT_ENTITY_FOR_UPDATE).execute(Tuple.of(id))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(Optional.<Entity>empty());
                    }
                    Entity changed = change.apply(fromRow(rows.iterator().next()));
                    List<Object> values = values(changed);
                    values.set(0, id);
                    return checkPrimaryDetection(conn, changed.primaryDetectionId())
                            .flatMap(checked -> conn.preparedQuery(EntitySql.UPDATE_ENTITY)
                                    .execute(Tuple.tuple(values)))
                            .map(updated -> Optional.of(fromRow(updated.iterator().next())));
                }));
    }

    public Uni<Optional<Entity>> get(UUID id) {
        return pool.preparedQuery(EntitySql.SELECT_ENTITY).execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(fromRow(rows.iterator().next())));
    }

    /** Entities of a type and trust status (null: any), most recently seen first. */
    public Uni<EntityPage> list(String entityType, String trustStatus, int limit, int offset) {
        Uni<RowSet<Row>> page = pool.preparedQuery(EntitySql.SELECT_ENTITIES_PAGE)
                .execute(Tuple.of(entityType, trustStatus, limit, offset));
        Uni<RowSet<Row>> count = pool.preparedQuery(EntitySql.COUNT_ENTITIES).execute(Tuple.of(entityType, trustStatus));
        return Uni.combine().all().unis(page, count).asTuple().map(both -> {
            List<Entity> entities = new ArrayList<>();
            both.getItem1().forEach(row -> entities.add(fromRow(row)));
            return new EntityPage(entities, both.getItem2().iterator().next().getLong("total"));
        });
    }

    /** Passes when there is no reference or the detection exists (and is then locked until commit). */
    private static Uni<Void> checkPrimaryDetection(SqlClient conn, Long detectionId) {
        if (detectionId == null) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(EntitySql.LOCK_DETECTION).execute(Tuple.of(detectionId)).map(rows -> {
            if (rows.size() == 0) {
                throw new MissingDetectionException(detectionId);
            }
            return null;
        });
    }

    /** The columns in {@code EntitySql.COLUMNS} order. */
    private static List<Object> values(Entity entity) {
        List<Object> values = new ArrayList<>();
        values.add(entity.id());
        values.add(entity.entityType());
        values.add(entity.trustStatus());
        values.add(entity.embeddingVector());
        values.add(utc(entity.firstSeenAt()));
        values.add(utc(entity.lastSeenAt()));
        values.add(entity.detectionCount());
        values.add(entity.entityMetadata());
        values.add(entity.primaryDetectionId());
        return values;
    }

    private static Entity fromRow(Row row) {
        Object embedding = row.getValue("embedding_vector");
        Object metadata = row.getValue("entity_metadata");
        return new Entity(
                row.getUUID("id"),
                row.getString("entity_type"),
                row.getString("trust_status"),
                embedding instanceof JsonArray array ? array : null,
                row.getOffsetDateTime("first_seen_at").toInstant(),
                row.getOffsetDateTime("last_seen_at").toInstant(),
                row.getInteger("detection_count"),
                metadata instanceof JsonObject object ? object : null,
                row.getLong("primary_detection_id"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
