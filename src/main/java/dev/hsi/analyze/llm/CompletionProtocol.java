package dev.hsi.analyze.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * llama.cpp's {@code POST /completion} with a ChatML prompt, the original's request: {@code prompt, temperature,
 * top_p, max_tokens, stop}. {@code n_predict} carries the same limit for llama.cpp builds that do not read
 * {@code max_tokens}. The text comes back in {@code content}.
 */
final class CompletionProtocol implements LlmProtocol {

    private static final JsonArray STOP = new JsonArray().add("<|im_end|>").add("<|im_start|>");

    @Override
    public String path() {
        return "/completion";
    }

    @Override
    public JsonObject body(LlmRequest request) {
        return new JsonObject()
                .put("prompt", promptText(request))
                .put("temperature", request.temperature())
                .put("top_p", LlmRequest.TOP_P)
                .put("max_tokens", request.maxTokens())
                .put("n_predict", request.maxTokens())
                .put("stop", STOP.copy());
    }

    @Override
    public String promptText(LlmRequest request) {
        return "<|im_start|>system\n" + request.system() + "<|im_end|>\n"
                + "<|im_start|>user\n" + request.user() + "<|im_end|>\n"
                + "<|im_start|>assistant\n";
    }

    @Override
    public String answerText(JsonObject response) {
        Object content = response.getValue("content");
        if (!(content instanceof String text)) {
            throw new UnusableAnswerException("the /completion response has no text in 'content'");
        }
        return text;
    }
}
