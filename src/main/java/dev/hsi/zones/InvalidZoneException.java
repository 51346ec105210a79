package dev.hsi.zones;

/** A zone that cannot be stored, with a message naming the field and the reason (the API answers 400 with it). */
public final class InvalidZoneException extends RuntimeException {

    InvalidZoneException(String field, String reason) {
        super(field + ": " + reason, null, false, false);
    }
}
