package dev.hsi.media;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pictures the ingest stage decoded to validate an upload, kept for the detect stage so that it need not read and
 * decode the same file again. A cache, not a contract: a job whose picture is not here (another process queued
 * it, the server restarted, the cache was full) is simply read and decoded from its file.
 *
 * <p>Bounded by bytes. When full, new pictures are not kept: the detect stage takes the oldest jobs first, so
 * evicting the oldest pictures to make room would throw away exactly the ones about to be used. Thread-safe.
 */
public final class DecodedImages {

    private final long capacityBytes;
    private final Map<String, BufferedImage> images = new HashMap<>();
    private long usedBytes;

    /** @param capacityBytes 0 turns the hand-over off */
    public DecodedImages(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** The key of one upload's content at one path: a new upload to the same path has a new hash. */
    public static String key(String sha256, String path) {
        return sha256 + '|' + path;
    }

    /** Keeps the picture if there is room; false if it was not kept. */
    public synchronized boolean offer(String key, BufferedImage image) {
        long size = sizeOf(image);
        if (usedBytes + size > capacityBytes || images.containsKey(key)) {
            return false;
        }
        images.put(key, image);
        usedBytes += size;
        return true;
    }

    /** Whether the picture is here (it may still be taken by someone else before it is asked for). */
    public synchronized boolean holds(String key) {
        return images.containsKey(key);
    }

    /** Removes and returns the picture, if it is here. */
    public synchronized Optional<BufferedImage> take(String key) {
        BufferedImage image = images.remove(key);
        if (image != null) {
            usedBytes -= sizeOf(image);
        }
        return Optional.ofNullable(image);
    }

    /** Drops the picture of an upload that was not queued after all. */
    public void discard(String key) {
        take(key);
    }

    public synchronized long usedBytes() {
        return usedBytes;
    }

    private static long sizeOf(BufferedImage image) {
        return (long) image.getWidth() * image.getHeight() * image.getColorModel().getPixelSize() / 8;
    }
}
