package dev.hsi.ingest;

/** An upload that will not be processed, with the reason a user can act on. */
final class RejectedFileException extends RuntimeException {

    RejectedFileException(String reason) {
        super(reason);
    }
}
