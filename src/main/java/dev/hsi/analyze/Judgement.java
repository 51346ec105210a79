package dev.hsi.analyze;

import dev.hsi.bus.SecurityEvent;
import java.util.Optional;

/**
 * What the analysis of a batch decided and how: the risk, which analyser it came from ({@code llm}, or
 * {@code rules} when no LLM is configured or it failed), the prompt sent to the LLM if one was, and the anomaly.
 */
record Judgement(RiskAssessment risk, String source, Optional<String> llmPrompt, Anomaly anomaly) {

    static Judgement byRules(RiskAssessment risk, Optional<String> llmPrompt, Anomaly anomaly) {
        return new Judgement(risk, SecurityEvent.SOURCE_RULES, llmPrompt, anomaly);
    }

    static Judgement byLlm(RiskAssessment risk, String llmPrompt, Anomaly anomaly) {
        return new Judgement(risk, SecurityEvent.SOURCE_LLM, Optional.of(llmPrompt), anomaly);
    }
}
