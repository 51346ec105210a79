package dev.hsi.retention;

import java.time.Instant;

/** One partition of a partitioned table as the catalog describes it; no bounds for the default partition. */
record Partition(String name, boolean isDefault, Instant from, Instant to, long totalBytes) {

    /** Whether every row it can hold is older than the cutoff, so that it can be dropped whole. */
    boolean entirelyBefore(Instant cutoff) {
        return !isDefault && to != null && !to.isAfter(cutoff);
    }
}
