package dev.hsi.queue;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Processes a group of claimed jobs. The outcome list matches the jobs one to one: empty for done, else why that
 * job failed. (Optional rather than null: Mutiny streams drop null items.)
 */
@FunctionalInterface
public interface JobHandler {

    Uni<List<Optional<Throwable>>> handle(List<String> jobs);

    /** A handler that takes jobs one by one; a group is run job after job. */
    static JobHandler oneByOne(Function<String, Uni<Void>> single) {
        return jobs -> Multi.createFrom().iterable(jobs)
                .onItem().transformToUniAndConcatenate(job -> Uni.createFrom().deferred(() -> single.apply(job))
                        .map(done -> Optional.<Throwable>empty())
                        .onFailure().recoverWithItem(Optional::of))
                .collect().asList();
    }
}
