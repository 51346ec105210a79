package dev.hsi.ingest;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches FOSCAM_BASE_PATH and every folder below it (inotify on Linux) for files that arrive by means other than
 * our FTP server (a share, rsync, another FTP daemon). It only reports paths that changed; deciding when a file
 * is complete (its size holds steady) is {@link StableFileTracker}'s job. Runs on one platform thread of its own,
 * since {@link WatchService#take()} blocks.
 */
final class DirectoryWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);

    private final Path root;
    private final Consumer<Path> onFileChanged;
    private final Map<WatchKey, Path> directories = new ConcurrentHashMap<>();
    private WatchService watchService;
    private Thread thread;

    DirectoryWatcher(Path root, Consumer<Path> onFileChanged) {
        this.root = root;
        this.onFileChanged = onFileChanged;
    }

    /** Blocking: registers the existing folder tree. */
    void start() throws IOException {
        watchService = FileSystems.getDefault().newWatchService();
        registerTree(root);
        thread = new Thread(this::run, "hsi-directory-watcher");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Watching {} ({} folders) for files that arrive outside FTP", root, directories.size());
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey key = watchService.take();
                Path directory = directories.get(key);
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (directory != null && event.context() instanceof Path name) {
                        handle(directory.resolve(name));
                    } else if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        LOG.warn("Directory watcher overflowed: some file events under {} were lost", root);
                    }
                }
                if (!key.reset()) {
                    directories.remove(key);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(Path path) {
        if (Files.isDirectory(path)) {
            try {
                registerTree(path);
                // files may have landed before the new folder was registered
                try (Stream<Path> files = Files.walk(path)) {
                    files.filter(Files::isRegularFile).forEach(onFileChanged);
                }
            } catch (IOException e) {
                LOG.warn("Cannot watch new folder {}: {}", path, e.getMessage());
            }
        } else {
            onFileChanged.accept(path);
        }
    }

    private void registerTree(Path start) throws IOException {
        try (Stream<Path> tree = Files.walk(start)) {
            for (Path directory : (Iterable<Path>) tree.filter(Files::isDirectory)::iterator) {
                WatchKey key = directory.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
                directories.put(key, directory);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (thread != null) {
            thread.interrupt();
        }
        if (watchService != null) {
            watchService.close();
        }
    }
}
