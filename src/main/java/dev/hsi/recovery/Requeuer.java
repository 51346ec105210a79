package dev.hsi.recovery;

import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The ingest path for a file that reconciliation found unaccounted for as of {@code accountedAt} (when it looked at
 * the queues): validated and deduplicated like an upload. True when it was queued (or dead-lettered by a full
 * queue), false when ingest skipped it (a duplicate, a rejected file, one being uploaded or ingested right now);
 * a failure when it could not be queued now.
 */
@FunctionalInterface
public interface Requeuer {

    Uni<Boolean> requeue(Path file, long size, Instant modifiedAt, Instant accountedAt);
}
