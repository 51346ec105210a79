package dev.hsi.analyze.llm;

/** One question to the LLM: the stored system prompt, the batch as the user message, and the sampling limits. */
public record LlmRequest(String system, String user, double temperature, int maxTokens) {

    /** The original's nucleus sampling. */
    static final double TOP_P = 0.95;
}
