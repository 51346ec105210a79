package dev.hsi.analyze.llm;

import java.util.Optional;

/**
 * The LLM's judgement of a batch, parsed and made valid: the score clamped to 0..100; the level only when it named
 * one of the four (the caller derives a missing one from the score); the original's defaults for missing texts.
 */
public record LlmVerdict(int score, Optional<String> level, String summary, String reasoning) {
}
