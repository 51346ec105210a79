package dev.hsi.ingest;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files the ingest stage is ingesting or ingested lately, so that the watcher does not report FTP uploads again,
 * reconciliation does not queue what ingest is queueing, and a rename knows what became of the old name. Used from
 * the ingest verticle's context only.
 */
final class RecentIngests {

    private static final int RECENT_FILES = 10_000;

    /** A file's size when ingested, when its ingest ended and how (both null while it runs). */
    record Ingested(long size, Instant finishedAt, Ingestor.Outcome outcome) {

        boolean running() {
            return finishedAt == null;
        }
    }

    /** The new name of a file renamed while its ingest ran, and its size then. */
    record PendingRename(Path to, long size) {
    }

    private final Map<Path, Ingested> files = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Ingested> eldest) {
            return size() > RECENT_FILES;
        }
    };
    /** Files renamed while their ingest ran: the new name is settled when that ingest ends. */
    private final Map<Path, PendingRename> renamedWhileRunning = new HashMap<>();

    /** The file, at this size, is being ingested or was ingested: reported again, it is not ingested again. */
    boolean knows(Path file, long size) {
        Ingested known = files.get(file);
        return known != null && known.size() == size;
    }

    /** An ingest of the file ran at {@code instant} or began since. */
    boolean ingestedSince(Path file, Instant instant) {
        Ingested known = files.get(file);
        return known != null && (known.running() || !known.finishedAt().isBefore(instant));
    }

    void started(Path file, long size) {
        files.put(file, new Ingested(size, null, null));
    }

    /** The ingest of the file ended; a rename made meanwhile, if any, is returned to be settled. */
    PendingRename finished(Path file, long size, Ingestor.Outcome outcome) {
        PendingRename rename = renamedWhileRunning.remove(file);
        if (rename == null) {
            files.put(file, new Ingested(size, Instant.now(), outcome));
        } else {
            files.remove(file); // the name is free: a camera reusing it uploads new content under it
        }
        return rename;
    }

    /** The ingest of the file could not finish; a rename made meanwhile, if any, is returned to be settled. */
    PendingRename failed(Path file) {
        files.remove(file);
        return renamedWhileRunning.remove(file);
    }

    /** The file was renamed to a name that is not ingested (x.jpg to x.jpg.bak): forgets the old name. */
    void forget(Path file) {
        files.remove(file);
    }

    /**
     * The file was renamed: forgets the old name and returns what it knew of it. The new name counts as being
     * ingested until it is settled (the watcher sees it appear). When the old name's ingest is still running, the
     * new name is returned by {@link #finished} or {@link #failed} of the old one.
     */
    Ingested renamed(Path from, Path to, long size) {
        Ingested before = files.remove(from);
        started(to, size);
        if (before != null && before.running()) {
            renamedWhileRunning.put(from, new PendingRename(to, size));
        }
        return before;
    }
}
