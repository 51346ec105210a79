package dev.hsi.config;

/** The HTTP server: REST API, WebSocket and dashboard page. */
public record ApiConfig(String host, int port) {

    public static final String API_HOST = "API_HOST";
    public static final String API_PORT = "API_PORT";

    static ApiConfig read(EnvReader env) {
        return new ApiConfig(env.string(API_HOST, "0.0.0.0"), env.integer(API_PORT, 8000, 0, 65535));
    }
}
