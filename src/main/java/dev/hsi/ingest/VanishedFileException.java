package dev.hsi.ingest;

/**
 * The upload is no longer where it was reported: renamed (cameras upload under a temporary name, then rename) or
 * deleted before it could be read. Not a rejection: a rename is followed under the new name.
 */
final class VanishedFileException extends RuntimeException {

    VanishedFileException() {
        super("gone before it could be read (renamed or deleted)");
    }
}
