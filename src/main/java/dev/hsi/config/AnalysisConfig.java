package dev.hsi.config;

/** The analyze stage: the LLM it may ask and the baselines it learns. */
public record AnalysisConfig(LlmConfig llm, BaselineConfig baseline) {

    static AnalysisConfig read(EnvReader env) {
        return new AnalysisConfig(LlmConfig.read(env), BaselineConfig.read(env));
    }
}
