package dev.hsi.ingest;

import java.nio.file.Path;

/** An upload that passed validation, with the SHA-256 of its content and its media type (image or video). */
record ValidatedUpload(Path path, long size, String sha256, String mediaType) {
}
