package dev.hsi.bus;

/** Run the retention cleanup now; a dry run only counts what a real run would delete. */
public record CleanupRequest(boolean dryRun) {
}
