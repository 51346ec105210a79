package dev.hsi.analyze.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The OpenAI-compatible {@code POST /v1/chat/completions} (vLLM, NIM, Ollama, llama.cpp): system and user messages,
 * the model name, the same sampling limits; the text comes back in {@code choices[0].message.content}.
 */
final class ChatCompletionsProtocol implements LlmProtocol {

    private final String model;

    ChatCompletionsProtocol(String model) {
        this.model = model;
    }

    @Override
    public String path() {
        return "/v1/chat/completions";
    }

    @Override
    public JsonObject body(LlmRequest request) {
        return new JsonObject()
                .put("model", model)
                .put("messages", messages(request))
                .put("temperature", request.temperature())
                .put("top_p", LlmRequest.TOP_P)
                .put("max_tokens", request.maxTokens())
                .put("stream", false);
    }

    @Override
    public String promptText(LlmRequest request) {
        return messages(request).encodePrettily();
    }

    @Override
    public String answerText(JsonObject response) {
        try {
            JsonArray choices = response.getJsonArray("choices");
            Object content = choices.getJsonObject(0).getJsonObject("message").getValue("content");
            if (content instanceof String text) {
                return text;
            }
        } catch (RuntimeException malformed) {
            throw new UnusableAnswerException("the chat completion has no choices[0].message.content: "
                    + malformed.getMessage());
        }
        throw new UnusableAnswerException("the chat completion has no text in choices[0].message.content");
    }

    private static JsonArray messages(LlmRequest request) {
        return new JsonArray()
                .add(new JsonObject().put("role", "system").put("content", request.system()))
                .add(new JsonObject().put("role", "user").put("content", request.user()));
    }
}
