package dev.hsi.analyze.llm;

import dev.hsi.config.LlmConfig;
import io.vertx.core.json.JsonObject;

/** How a request is put on the wire and the answer's text taken out, for one API an LLM server speaks. */
interface LlmProtocol {

    /** The endpoint, relative to {@code NEMOTRON_URL}. */
    String path();

    JsonObject body(LlmRequest request);

    /** The prompt as sent, for {@code events.llm_prompt}. */
    String promptText(LlmRequest request);

    /** The generated text of a 2xx response; {@link UnusableAnswerException} when the response has none. */
    String answerText(JsonObject response);

    static LlmProtocol of(LlmConfig config) {
        return switch (config.api()) {
            case COMPLETION -> new CompletionProtocol();
            case OPENAI -> new ChatCompletionsProtocol(config.model());
        };
    }
}
