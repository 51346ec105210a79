package dev.hsi.alerts;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Alert severities, lowest first: a later one wins over an earlier one. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL;

    public static final List<String> NAMES = Arrays.stream(values()).map(Severity::json).toList();

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The severity named (as in JSON); null when there is none by that name. */
    static Severity byName(String name) {
        for (Severity severity : values()) {
            if (severity.json().equals(name)) {
                return severity;
            }
        }
        return null;
    }
}
