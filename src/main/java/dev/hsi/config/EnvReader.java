package dev.hsi.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads typed values from an environment map, collecting every problem instead of failing on the first,
 * so that a user fixes a broken configuration in one go.
 */
final class EnvReader {

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    EnvReader(Map<String, String> env) {
        this.env = env;
    }

    Optional<String> optional(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    int integer(String name, int defaultValue, int min, int max) {
        return parse(name, defaultValue, Integer::parseInt, "an integer", min, max);
    }

    double decimal(String name, double defaultValue, double min, double max) {
        return parse(name, defaultValue, Double::parseDouble, "a number", min, max);
    }

    /** true/false (also 1/0, yes/no, on/off), case-insensitive. */
    boolean bool(String name, boolean defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        switch (raw.get().toLowerCase()) {
            case "true", "1", "yes", "on":
                return true;
            case "false", "0", "no", "off":
                return false;
            default:
                problems.add(name + " must be true or false, got '" + raw.get() + "'");
                return defaultValue;
        }
    }

    /** A list given either as JSON (`["person","car"]`, the original's form) or comma separated. */
    List<String> list(String name, List<String> defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String text = raw.get();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        return Arrays.stream(text.split(","))
                .map(s -> s.trim().replace("\"", "").replace("'", "").toLowerCase())
                .filter(s -> !s.isEmpty())
                .toList();
    }

    void problem(String message) {
        problems.add(message);
    }

    List<String> problems() {
        return problems;
    }

    private <T extends Comparable<T>> T parse(
            String name, T defaultValue, Function<String, T> parser, String kind, T min, T max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        T value;
        try {
            value = parser.apply(raw.get());
        } catch (NumberFormatException e) {
            problems.add(name + " must be " + kind + ", got '" + raw.get() + "'");
            return defaultValue;
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problems.add(name + " must be between " + min + " and " + max + ", got " + value);
            return defaultValue;
        }
        return value;
    }
}
