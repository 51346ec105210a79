package dev.hsi.ingest;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * An upload that passed validation, with the SHA-256 of its content and its media type (image or video).
 *
 * @param decoded the pixels decoded to validate an image; null for a clip
 */
record ValidatedUpload(Path path, long size, String sha256, String mediaType, BufferedImage decoded) {
}
