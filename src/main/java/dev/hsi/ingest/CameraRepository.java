package dev.hsi.ingest;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;

/** Registers cameras as their uploads arrive. */
final class CameraRepository {

    private final Pool pool;

    CameraRepository(Pool pool) {
        this.pool = pool;
    }

    Uni<Void> markSeen(String id, String name, String folderPath, Instant seenAt) {
        return pool.preparedQuery(CameraSql.UPSERT_SEEN_CAMERA)
                .execute(Tuple.of(id, name, folderPath, seenAt.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }
}
