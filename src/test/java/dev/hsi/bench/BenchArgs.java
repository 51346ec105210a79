package dev.hsi.bench;

import java.util.Map;

/** The benches' command-line values: each read and checked the same way, with a message naming the option. */
final class BenchArgs {

    private BenchArgs() {
    }

    /** The value after an option, at {@code args[i]}. */
    static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    static int positive(String option, String value) {
        int n = nonNegative(option, value);
        if (n == 0) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return n;
    }

    static int nonNegative(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a non-negative integer, got " + value);
        }
    }

    /** {@code --env KEY=VALUE}: one more server setting. */
    static void putSetting(String option, String pair, Map<String, String> env) {
        int eq = pair.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException(option + " takes KEY=VALUE, got " + pair);
        }
        env.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
}
