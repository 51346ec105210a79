package dev.hsi.config;

import java.util.List;

/**
 * The HTTP server: REST API, WebSocket and dashboard page.
 *
 * @param apiKeyEnabled {@code API_KEY_ENABLED}: every API route then needs one of {@code API_KEYS}
 * @param apiKeys       {@code API_KEYS}: the keys themselves (a JSON list, as the original takes, or comma separated);
 *                      only their SHA-256 hashes are kept, in table {@code api_keys}
 */
public record ApiConfig(String host, int port, boolean apiKeyEnabled, List<String> apiKeys) {

    public static final String API_HOST = "API_HOST";
    public static final String API_PORT = "API_PORT";
    public static final String API_KEY_ENABLED = "API_KEY_ENABLED";
    public static final String API_KEYS = "API_KEYS";

    static ApiConfig read(EnvReader env) {
        boolean enabled = env.bool(API_KEY_ENABLED, false);
        List<String> keys = env.caseSensitiveList(API_KEYS);
        if (enabled && keys.isEmpty()) {
            env.problem(API_KEY_ENABLED + "=true needs at least one key in " + API_KEYS
                    + " (for example API_KEYS='[\"a-long-random-key\"]')");
        }
        return new ApiConfig(env.string(API_HOST, "0.0.0.0"), env.integer(API_PORT, 8000, 0, 65535), enabled, keys);
    }

    @Override
    public String toString() {
        return "ApiConfig[host=" + host + ", port=" + port + ", apiKeyEnabled=" + apiKeyEnabled + ", apiKeys="
                + apiKeys.size() + " (hidden)]";
    }
}
