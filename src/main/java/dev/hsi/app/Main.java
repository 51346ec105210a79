package dev.hsi.app;

import dev.hsi.config.AppConfig;
import dev.hsi.config.ConfigException;
import dev.hsi.detect.backend.BuildEngineCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code java -jar target/hsi.jar}: starts HSI from environment variables, embedded servers by default.
 * {@code java -jar target/hsi.jar build-engine --model ...}: builds a TensorRT engine ahead of time (native/README.md).
 *
 * <p>SIGTERM (and Ctrl-C) stops HSI gracefully ({@link HsiServer#close()}) and exits with status 0: a requested
 * stop is a success for a service manager. Any other JVM exit still runs the same close from a shutdown hook.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

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
        stopOn("TERM", server);
        stopOn("INT", server);
    }

    /**
     * Replaces the JVM's handling of the signal (exit status 128 + signal number) with a graceful stop and status 0.
     * The handler runs on a thread of its own, so the stop may take its time.
     */
    private static void stopOn(String signal, HsiServer server) {
        try {
            Signal.handle(new Signal(signal), received -> {
                LOG.info("SIG{} received: stopping", signal);
                server.close();
                System.exit(0);
            });
        } catch (IllegalArgumentException e) {
            LOG.debug("SIG{} cannot be handled here ({}); the shutdown hook stops HSI", signal, e.getMessage());
        }
    }
}
