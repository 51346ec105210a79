package dev.hsi.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The LLM risk analyser (the original's Nemotron on llama.cpp). Without {@code NEMOTRON_URL} the analyze stage
 * judges with its rules alone.
 *
 * @param url            base URL of the LLM server, empty for rules only
 * @param api            the wire protocol: llama.cpp's {@code POST /completion} or OpenAI's chat completions
 * @param model          the model name sent in OpenAI requests (vLLM, NIM and Ollama need it)
 * @param promptModel    the {@code prompt_configs.model} whose stored prompt the analyser uses
 * @param retryBackoff   the unit of the back-off between tries: {@code min(2^attempt, 30)} units
 */
public record LlmConfig(
        Optional<String> url, Api api, String model, String promptModel, Optional<String> apiKey,
        Duration connectTimeout, Duration readTimeout, int maxRetries, Duration retryBackoff) {

    public static final String NEMOTRON_URL = "NEMOTRON_URL";
    public static final String NEMOTRON_API_KEY = "NEMOTRON_API_KEY";
    public static final String LLM_API = "LLM_API";
    public static final String LLM_MODEL = "LLM_MODEL";
    public static final String NEMOTRON_CONNECT_TIMEOUT = "NEMOTRON_CONNECT_TIMEOUT";
    public static final String NEMOTRON_READ_TIMEOUT = "NEMOTRON_READ_TIMEOUT";
    public static final String NEMOTRON_MAX_RETRIES = "NEMOTRON_MAX_RETRIES";
    public static final String NEMOTRON_RETRY_BACKOFF_SECONDS = "NEMOTRON_RETRY_BACKOFF_SECONDS";
    /** The original's model name for the risk analyser's prompt. */
    public static final String NEMOTRON = "nemotron";

    /** The wire protocols an LLM server may speak. */
    public enum Api {
        /** llama.cpp's {@code POST /completion} with a ChatML prompt, as the original sends it. */
        COMPLETION,
        /** {@code POST /v1/chat/completions}: vLLM, NIM, Ollama, llama.cpp. */
        OPENAI;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean enabled() {
        return url.isPresent();
    }

    static LlmConfig read(EnvReader env) {
        Optional<String> url = env.optional(NEMOTRON_URL).map(u -> u.replaceAll("/+$", ""));
        if (url.isPresent() && !url.get().matches("^https?://.+")) {
            env.problem(NEMOTRON_URL + " must start with http:// or https://, got '" + url.get() + "'");
        }
        String apiName = env.string(LLM_API, "completion").toLowerCase(Locale.ROOT);
        Api api = Api.COMPLETION;
        if (apiName.equals("openai")) {
            api = Api.OPENAI;
        } else if (!apiName.equals("completion")) {
            env.problem(LLM_API + " must be 'completion' or 'openai', got '" + apiName + "'");
        }
        return new LlmConfig(
                url,
                api,
                env.string(LLM_MODEL, NEMOTRON),
                NEMOTRON,
                env.optional(NEMOTRON_API_KEY),
                Seconds.of(env.decimal(NEMOTRON_CONNECT_TIMEOUT,
                        env.decimal(HttpDetectorConfig.AI_CONNECT_TIMEOUT, 10, 0.1, 600), 0.01, 600)),
                Seconds.of(env.decimal(NEMOTRON_READ_TIMEOUT, 120, 0.01, 3600)),
                env.integer(NEMOTRON_MAX_RETRIES, 3, 0, 20),
                Seconds.of(env.decimal(NEMOTRON_RETRY_BACKOFF_SECONDS, 1, 0.001, 30)));
    }
}
