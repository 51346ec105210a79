package dev.hsi.detect;

import dev.hsi.detect.DetectionRepository.Stored;
import dev.hsi.detect.DetectionRepository.Upload;
import dev.hsi.metrics.Stage;
import dev.hsi.metrics.StageTimings;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the uploads of one detector group: all of them in one statement (one round trip and one commit instead of
 * two per upload, see decision 0014); when that statement fails, one by one with the same statement, so that an
 * upload the database refuses fails alone and its neighbours are stored. One outcome per upload, in order.
 *
 * <p>Each upload with rows records {@link Stage#DETECTED_TO_STORED}: from the moment the group's store began to the
 * commit of its rows (for an upload stored on its own, that includes the failed group statement).
 */
final class GroupWriter {

    private static final Logger LOG = LoggerFactory.getLogger(GroupWriter.class);

    private final DetectionRepository repository;
    private final StageTimings timings;

    GroupWriter(DetectionRepository repository, StageTimings timings) {
        this.repository = repository;
        this.timings = timings;
    }

    /** One upload's outcome: its rows (the first run's, for an upload stored before), or why they are not stored. */
    record Outcome(List<Stored> rows, Throwable failure) {

        static Outcome stored(List<Stored> rows) {
            return new Outcome(rows, null);
        }

        static Outcome failed(Throwable failure) {
            return new Outcome(List.of(), failure);
        }
    }

    Uni<List<Outcome>> store(List<Upload> uploads) {
        if (uploads.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        long started = System.nanoTime();
        Uni<List<Outcome>> together = repository.store(uploads)
                .map(rows -> rows.stream().map(upload -> committed(upload, started)).toList());
        if (uploads.size() == 1) {
            return together.onFailure().recoverWithItem(failure -> List.of(Outcome.failed(failure)));
        }
        return together.onFailure().recoverWithUni(failure -> {
            LOG.warn("Storing a group of {} uploads in one statement failed ({}); storing them one by one",
                    uploads.size(), failure.getMessage());
            return oneByOne(uploads, started);
        });
    }

    /**
     * One after another: the fallback puts no more statements in flight than the group had. Each failure is the
     * upload's outcome; the queue logs it and retries that job alone.
     */
    private Uni<List<Outcome>> oneByOne(List<Upload> uploads, long started) {
        return Multi.createFrom().iterable(uploads)
                .onItem().transformToUniAndConcatenate(upload -> repository.store(List.of(upload))
                        .map(rows -> committed(rows.get(0), started))
                        .onFailure().recoverWithItem(Outcome::failed))
                .collect().asList();
    }

    private Outcome committed(List<Stored> rows, long started) {
        if (!rows.isEmpty()) {
            timings.recordMillis(Stage.DETECTED_TO_STORED, (System.nanoTime() - started) / 1e6);
        }
        return Outcome.stored(rows);
    }
}
