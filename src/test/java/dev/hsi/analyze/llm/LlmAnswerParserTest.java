package dev.hsi.analyze.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The answer parser on the shapes LLMs produce; the whole path is exercised in LlmAnalysisTest. */
class LlmAnswerParserTest {

    @Test
    @DisplayName("Thinking is dropped: closed blocks, a lone closing tag, an unclosed opening tag")
    void thinking() {
        assertThat(LlmAnswerParser.parse("<think>{\"risk_score\": 1}</think>{\"risk_score\": 60}").score()).isEqualTo(60);
        assertThat(LlmAnswerParser.parse("{\"risk_score\": 2} so... </think> {\"risk_score\": 61}").score()).isEqualTo(61);
        assertThat(LlmAnswerParser.parse("{\"risk_score\": 62} <think>{\"risk_score\": 3}").score()).isEqualTo(62);
    }

    @Test
    @DisplayName("Scores are numbers or numeric strings, rounded and clamped; levels are checked, case-insensitively")
    void scoresAndLevels() {
        LlmVerdict verdict = LlmAnswerParser.parse("{\"risk_score\": \"-7.6\", \"risk_level\": \"LOW\"}");
        assertThat(verdict.score()).isZero();
        assertThat(verdict.level()).contains("low");
        assertThat(LlmAnswerParser.parse("{\"risk_score\": 88.6, \"risk_level\": \"severe\"}"))
                .isEqualTo(new LlmVerdict(89, Optional.empty(), "Risk analysis completed",
                        "No detailed reasoning provided"));
    }

    @Test
    @DisplayName("No JSON object with a numeric risk_score is an unusable answer")
    void unusable() {
        assertThatThrownBy(() -> LlmAnswerParser.parse("{\"summary\": \"no score\"}"))
                .isInstanceOf(UnusableAnswerException.class);
        assertThatThrownBy(() -> LlmAnswerParser.parse("{\"risk_score\": \"high\"}"))
                .isInstanceOf(UnusableAnswerException.class).hasMessageContaining("not a number");
        assertThatThrownBy(() -> LlmAnswerParser.parse("{\"risk_score\": 50")).isInstanceOf(UnusableAnswerException.class);
    }
}
