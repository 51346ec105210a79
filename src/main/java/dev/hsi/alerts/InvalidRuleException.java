package dev.hsi.alerts;

/** An alert rule (or a rule test request) that cannot be accepted; the message names the field and the reason. */
public final class InvalidRuleException extends RuntimeException {

    InvalidRuleException(String field, String reason) {
        super(field + ": " + reason, null, false, false);
    }
}
