package dev.hsi.analyze;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Judgements made but not yet written, by batch id: when writing the event fails and the queue runs the job again,
 * the judgement is taken from here instead of asking the LLM again, so a database hiccup does not multiply LLM
 * calls. Bounded (oldest dropped); used from the verticle's event loop only.
 */
final class RecentJudgements {

    private static final int CAPACITY = 256;

    private final Map<String, Judgement> byBatch = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Judgement> eldest) {
            return size() > CAPACITY;
        }
    };

    Optional<Judgement> get(String batchId) {
        return Optional.ofNullable(byBatch.get(batchId));
    }

    void put(String batchId, Judgement judgement) {
        byBatch.put(batchId, judgement);
    }

    void forget(String batchId) {
        byBatch.remove(batchId);
    }
}
