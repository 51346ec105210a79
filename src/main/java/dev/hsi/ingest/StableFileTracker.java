package dev.hsi.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides when a file written by someone else is complete: its size and modification time have not changed for
 * the stable time (the original waits for 2 s of steady size). Blocking file checks: call from a worker.
 */
final class StableFileTracker {

    /** A file that became stable, with the size it had then. */
    record StableFile(Path path, long size) {
    }

    private record Observation(long size, long modified, long observedAtNanos) {
    }

    private final Duration stableTime;
    private final Map<Path, Observation> pending = new ConcurrentHashMap<>();

    StableFileTracker(Duration stableTime) {
        this.stableTime = stableTime;
    }

    /** The file changed: (re)start its stability clock. */
    void changed(Path file) {
        Observation observation = observe(file);
        if (observation != null) {
            pending.put(file, observation);
        }
    }

    int pendingCount() {
        return pending.size();
    }

    /** Files whose size held steady for the stable time; they leave the tracker. */
    List<StableFile> collectStable() {
        List<StableFile> stable = new ArrayList<>();
        long now = System.nanoTime();
        for (Map.Entry<Path, Observation> entry : pending.entrySet()) {
            Observation before = entry.getValue();
            if (now - before.observedAtNanos() < stableTime.toNanos()) {
                continue;
            }
            Observation current = observe(entry.getKey());
            if (current == null) {
                pending.remove(entry.getKey(), before);
            } else if (current.size() == before.size() && current.modified() == before.modified()) {
                if (pending.remove(entry.getKey(), before)) {
                    stable.add(new StableFile(entry.getKey(), current.size()));
                }
            } else {
                pending.replace(entry.getKey(), before, current);
            }
        }
        return stable;
    }

    private static Observation observe(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return null;
            }
            return new Observation(attributes.size(), attributes.lastModifiedTime().toMillis(), System.nanoTime());
        } catch (IOException e) {
            return null;
        }
    }
}
