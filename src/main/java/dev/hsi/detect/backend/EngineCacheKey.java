package dev.hsi.detect.backend;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a serialised TensorRT engine depends on. An engine is only valid for the exact ONNX bytes, TensorRT release
 * and GPU model it was built with (TensorRT refuses others, or worse, runs them badly), and for the batch range of
 * its optimisation profile; a change in any of them must lead to a different file rather than a stale one.
 * Pure: no GPU needed, so the naming is tested everywhere.
 *
 * @param onnxSha256 hex SHA-256 of the ONNX file's bytes
 * @param tensorRtVersion as {@code getInferLibVersion()} returns it: major * 10000 + minor * 100 + patch
 * @param gpuName as CUDA reports it; sanitised before it enters the key
 */
public record EngineCacheKey(String modelName, String onnxSha256, int tensorRtVersion, String gpuName, int maxBatch) {

    /**
     * How engines are built (precision, profile shape). Part of the key so that changing the build settings in
     * code invalidates the engines built with the old ones.
     */
    static final String BUILD_SETTINGS = "fp16;profile=1/max/max;v1";
    private static final int KEY_HEX_CHARS = 16;

    public EngineCacheKey {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be at least 1, got " + maxBatch);
        }
    }

    /** Hex SHA-256 over every key part. */
    public String digest() {
        String parts = "onnx_sha256=" + onnxSha256 + "\ntensorrt=" + tensorRtVersion + "\ngpu=" + sanitise(gpuName)
                + "\nmax_batch=" + maxBatch + "\nsettings=" + BUILD_SETTINGS + "\n";
        return sha256(parts.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code <model name>-<first 16 hex of the digest>}, the file name of the engine without its extension. */
    public String baseName() {
        return sanitise(modelName) + "-" + digest().substring(0, KEY_HEX_CHARS);
    }

    public Path engineFile(Path engineDir) {
        return engineDir.resolve(baseName() + ".engine");
    }

    /** The JSON note next to the engine that says what it was built from, for people and for tidying up. */
    public Path sidecarFile(Path engineDir) {
        return engineDir.resolve(baseName() + ".json");
    }

    public JsonObject describe() {
        return new JsonObject()
                .put("model", modelName)
                .put("onnx_sha256", onnxSha256)
                .put("tensorrt_version", tensorRtVersionText(tensorRtVersion))
                .put("tensorrt_version_code", tensorRtVersion)
                .put("gpu", gpuName)
                .put("gpu_key", sanitise(gpuName))
                .put("max_batch", maxBatch)
                .put("build_settings", BUILD_SETTINGS)
                .put("key_sha256", digest());
    }

    /** "10.15.1" from 101501. */
    public static String tensorRtVersionText(int version) {
        return version / 10000 + "." + version / 100 % 100 + "." + version % 100;
    }

    /** Only letters, digits, dot, dash and underscore; runs of anything else become one underscore. */
    public static String sanitise(String text) {
        String safe = text.trim().replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[_.]+|_+$", "");
        return safe.isEmpty() ? "unnamed" : safe;
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digester().digest(bytes));
    }

    /** Streams the file, so a large model is not held in memory twice just to be hashed. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest = digester();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digester() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
