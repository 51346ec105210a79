package dev.hsi.app;

import dev.hsi.config.AppConfig;
import dev.hsi.config.ConfigException;

/** {@code java -jar target/hsi.jar}: starts HSI from environment variables, embedded servers by default. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        AppConfig config;
        try {
            config = AppConfig.fromEnv(System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        HsiServer server = HsiServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "hsi-shutdown"));
    }
}
