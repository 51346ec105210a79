package dev.hsi.support;

import dev.hsi.config.AppConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Configuration for a whole server under test: everything embedded under a temporary DATA_DIR, random free ports,
 * the model cache shared by all tests (the download and conversion happen once), short batch windows.
 */
public final class TestEnv {

    /** Shared, git-ignored cache of the converted model. */
    public static final Path MODEL_DIR = Path.of(".cache/models").toAbsolutePath();

    private TestEnv() {
    }

    public static Map<String, String> pipeline(Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("DATA_DIR", dataDir.toString());
        env.put("MODEL_DIR", MODEL_DIR.toString());
        env.put("API_HOST", "127.0.0.1");
        env.put("API_PORT", "0");
        env.put("FTP_HOST", "127.0.0.1");
        env.put("FTP_PORT", "0");
        env.put("FTP_PASSIVE_PORTS", "0");
        env.put("FTP_USERS", "cam:secret");
        env.put("DETECTION_CONFIDENCE_THRESHOLD", "0.4");
        env.put("FAST_PATH_CONFIDENCE_THRESHOLD", "0.6");
        env.put("BATCH_WINDOW_SECONDS", "6");
        env.put("BATCH_IDLE_TIMEOUT_SECONDS", "1.5");
        env.put("BATCH_CHECK_INTERVAL_SECONDS", "0.2");
        env.put("FILE_STABLE_SECONDS", "0.5");
        env.put("FILE_WATCHER_POLLING_INTERVAL", "0.1");
        env.put("DETECTOR_THREADS", "2");
        return env;
    }

    public static AppConfig config(Map<String, String> env) {
        return AppConfig.fromEnv(env);
    }
}
