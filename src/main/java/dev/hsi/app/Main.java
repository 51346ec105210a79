package dev.hsi.app;

import dev.hsi.config.AppConfig;
import dev.hsi.config.ConfigException;
import dev.hsi.detect.backend.BuildEngineCommand;

/**
 * {@code java -jar target/hsi.jar}: starts HSI from environment variables, embedded servers by default.
 * {@code java -jar target/hsi.jar build-engine --model ...}: builds a TensorRT engine ahead of time (native/README.md).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(BuildEngineCommand.NAME)) {
            System.exit(BuildEngineCommand.run(args));
        }
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
