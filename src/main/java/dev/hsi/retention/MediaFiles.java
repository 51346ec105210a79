package dev.hsi.retention;

import dev.hsi.media.ThumbnailWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files a cleanup removes: thumbnails of deleted detections, and original images when configured. Only files
 * inside their own folder are touched (the thumbnail folder, {@code FOSCAM_BASE_PATH}), whatever a row says.
 * Blocking: called on a worker thread.
 */
final class MediaFiles {

    private static final Logger LOG = LoggerFactory.getLogger(MediaFiles.class);

    /** How many thumbnails and images there are (or were) and their bytes. */
    record Outcome(long thumbnails, long images, long bytes) {
    }

    private final Path thumbnailDir;
    private final Path imageDir;

    MediaFiles(Path thumbnailDir, Path imageDir) {
        this.thumbnailDir = thumbnailDir.toAbsolutePath().normalize();
        this.imageDir = imageDir.toAbsolutePath().normalize();
    }

    /**
     * Where a detection's thumbnail may be: the path recorded with it, and the standard name in the thumbnail folder
     * (the API draws missing thumbnails there on demand, without recording them).
     */
    List<Path> thumbnailsOf(DetectionFiles detection) {
        Path standard = thumbnailDir.resolve(ThumbnailWriter.fileName(detection.id()));
        if (detection.thumbnailPath() == null) {
            return List.of(standard);
        }
        Path recorded = Path.of(detection.thumbnailPath()).toAbsolutePath().normalize();
        return recorded.equals(standard) ? List.of(standard) : List.of(recorded, standard);
    }

    /** What deleting would remove: the existing files among these, and their sizes. */
    Outcome measure(Collection<Path> thumbnails, Collection<Path> images) {
        long[] thumbs = sizes(thumbnails, thumbnailDir, false);
        long[] pictures = sizes(images, imageDir, false);
        return new Outcome(thumbs[0], pictures[0], thumbs[1] + pictures[1]);
    }

    /** Deletes the existing files among these: how many were deleted, and their sizes. */
    Outcome delete(Collection<Path> thumbnails, Collection<Path> images) {
        long[] thumbs = sizes(thumbnails, thumbnailDir, true);
        long[] pictures = sizes(images, imageDir, true);
        return new Outcome(thumbs[0], pictures[0], thumbs[1] + pictures[1]);
    }

    /** {count, bytes} of the regular files among {@code files} inside {@code dir}, deleted when asked. */
    private static long[] sizes(Collection<Path> files, Path dir, boolean delete) {
        long count = 0;
        long bytes = 0;
        long outside = 0;
        for (Path file : files) {
            Path normal = file.toAbsolutePath().normalize();
            if (!normal.startsWith(dir)) {
                outside++;
                continue;
            }
            try {
                if (!Files.isRegularFile(normal)) {
                    continue;
                }
                long size = Files.size(normal);
                if (!delete || Files.deleteIfExists(normal)) {
                    count++;
                    bytes += size;
                }
            } catch (IOException e) {
                LOG.warn("Cleanup cannot {} {}: {}", delete ? "delete" : "read", normal, e.getMessage());
            }
        }
        if (outside > 0) {
            LOG.warn("Cleanup left {} file(s) alone that lie outside {}", outside, dir);
        }
        return new long[] {count, bytes};
    }
}
