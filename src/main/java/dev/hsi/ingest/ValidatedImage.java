package dev.hsi.ingest;

import java.nio.file.Path;

/** An uploaded image that decoded completely, with the SHA-256 of its content. */
record ValidatedImage(Path path, long size, String sha256, int width, int height) {
}
