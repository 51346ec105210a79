package dev.hsi.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.config.AnalysisConfig;
import dev.hsi.config.BaselineConfig;
import dev.hsi.config.LlmConfig;
import dev.hsi.config.LlmConfig.Api;
import dev.hsi.resilience.BreakerSettings;
import dev.hsi.resilience.CircuitBreakers;
import dev.hsi.support.LlmStandIn;
import dev.hsi.support.LlmStandIn.Received;
import dev.hsi.support.LlmStandIn.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The analyze stage asking an LLM: a local server speaks each protocol (llama.cpp's /completion, OpenAI's chat
 * completions), and the real client, parser, fallback and circuit breaker run against it. Each case ends in the
 * event as stored: its risk, texts, prompt and {@code analysis_source}.
 */
class LlmAnalysisTest {

    private static final Instant NIGHT = Instant.parse("2026-03-03T03:10:00Z");
    private static final String GOOD = """
            {"risk_score": 72, "risk_level": "high", "summary": "A person at the back door at night",
             "reasoning": "Entry point, 3 a.m., unknown person"}""";
    private static final AtomicInteger BATCHES = new AtomicInteger();

    @TempDir
    static Path dir;
    static AnalyzeStage stage;
    static LlmStandIn llm;

    @BeforeAll
    static void start() {
        stage = new AnalyzeStage(dir);
        llm = new LlmStandIn();
        stage.camera("back_yard", "Back Yard");
        stage.zone("z-door", "back_yard", "Back door", "entry_point");
    }

    @AfterAll
    static void stop() throws Exception {
        stage.close();
        llm.close();
    }

    @BeforeEach
    void forgetRequests() {
        llm.forget();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    @DisplayName("A good answer becomes the event, judged by the LLM, with the prompt it was sent")
    void goodAnswer(Api api) {
        deploy(api, 3, Duration.ofSeconds(5), 5);
        llm.reply(Reply.answer(GOOD));
        Map<String, Object> event = analyse();

        assertThat(event).containsEntry("risk_score", 72).containsEntry("risk_level", "high")
                .containsEntry("summary", "A person at the back door at night")
                .containsEntry("reasoning", "Entry point, 3 a.m., unknown person")
                .containsEntry("analysis_source", "llm");
        String prompt = (String) event.get("llm_prompt");
        // kept as sent: the ChatML text, or the chat messages as JSON
        String text = api == Api.COMPLETION ? prompt : new JsonArray(prompt).stream()
                .map(message -> ((JsonObject) message).getString("content")).collect(Collectors.joining("\n"));
        assertThat(text).contains("Camera: Back Yard", "03:10:00 person, confidence 91%, zones: Back door (entry_point)",
                "03:10:30 car, confidence 70%, in no defined zone", "\nActivity: ", "risk_score")
                .containsPattern("Time window: \\d{4}-\\d{2}-\\d{2} 03:10:00 to 03:10:30 \\(UTC, Tuesday\\)");
        List<Received> requests = llm.received();
        assertThat(requests).hasSize(1);
        Received request = requests.get(0);
        assertThat(request.authorization()).isEqualTo("Bearer test-key");
        JsonObject body = request.body();
        assertThat(body.getDouble("temperature")).isEqualTo(0.7);
        assertThat(body.getDouble("top_p")).isEqualTo(0.95);
        assertThat(body.getInteger("max_tokens")).isEqualTo(1536);
        if (api == Api.COMPLETION) {
            assertThat(request.path()).isEqualTo("/completion");
            assertThat(body.getString("prompt")).isEqualTo(prompt)
                    .startsWith("<|im_start|>system\nYou are a home security analyst")
                    .contains("<|im_end|>\n<|im_start|>user\nCamera: Back Yard")
                    .endsWith("<|im_start|>assistant\n");
            assertThat(body.getJsonArray("stop").getList()).containsExactly("<|im_end|>", "<|im_start|>");
        } else {
            assertThat(request.path()).isEqualTo("/v1/chat/completions");
            assertThat(body.getJsonArray("messages")).isEqualTo(new JsonArray(prompt));
            assertThat(body.getString("model")).isEqualTo("test-model");
            assertThat(body.getJsonArray("messages").getJsonObject(0).getString("role")).isEqualTo("system");
            assertThat(body.getJsonArray("messages").getJsonObject(1).getString("content"))
                    .startsWith("Camera: Back Yard");
        }
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    @DisplayName("Reasoning in <think> is dropped, even when it holds a JSON object of its own")
    void thinkPreamble(Api api) {
        deploy(api, 3, Duration.ofSeconds(5), 5);
        llm.reply(Reply.answer("<think>Maybe {\"risk_score\": 5}? No: it is 3 a.m. at the door.</think>\n" + GOOD));
        assertThat(analyse()).containsEntry("risk_score", 72).containsEntry("analysis_source", "llm");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    @DisplayName("The JSON object is found inside prose and a code fence")
    void jsonInProse(Api api) {
        deploy(api, 3, Duration.ofSeconds(5), 5);
        llm.reply(Reply.answer("Here is my assessment {of the scene}:\n```json\n{\"risk_score\": 35, \"risk_level\":"
                + " \"Medium\", \"summary\": \"Someone {briefly} at the door\", \"reasoning\": \"Short visit\"}\n```\nStay safe."));
        assertThat(analyse()).containsEntry("risk_score", 35).containsEntry("risk_level", "medium")
                .containsEntry("summary", "Someone {briefly} at the door").containsEntry("analysis_source", "llm");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    @DisplayName("A missing level is derived from the score by the thresholds; missing texts get the defaults")
    void missingLevel(Api api) {
        deploy(api, 3, Duration.ofSeconds(5), 5);
        llm.reply(Reply.answer("{\"risk_score\": 47}"));
        assertThat(analyse()).containsEntry("risk_score", 47).containsEntry("risk_level", "medium")
                .containsEntry("summary", "Risk analysis completed")
                .containsEntry("reasoning", "No detailed reasoning provided")
                .containsEntry("analysis_source", "llm");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    @DisplayName("A score of 250 is clamped to 100, critical")
    void scoreClamped(Api api) {
        deploy(api, 3, Duration.ofSeconds(5), 5);
        llm.reply(Reply.answer("{\"risk_score\": 250, \"summary\": \"Break-in\"}"));
        assertThat(analyse()).containsEntry("risk_score", 100).containsEntry("risk_level", "critical")
                .containsEntry("analysis_source", "llm");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    @DisplayName("Garbage is not retried: the rules' judgement stands in (not a blind 50) and says why")
    void garbage(Api api) {
        deploy(api, 3, Duration.ofSeconds(5), 5);
        llm.reply(Reply.answer("I am sorry, I cannot assess security camera footage."));
        Map<String, Object> event = analyse();
        assertRules(event, "answer unusable");
        assertThat(event.get("llm_prompt")).as("the prompt was sent").isNotNull();
        assertThat(llm.received()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    @DisplayName("A response that is not the protocol's JSON falls back to the rules")
    void malformedResponse(Api api) {
        deploy(api, 3, Duration.ofSeconds(5), 5);
        llm.reply(Reply.raw("<html>502 Bad Gateway</html>"));
        assertRules(analyse(), "not a JSON object");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    @DisplayName("HTTP 500 is retried after a back-off, and the next answer is used")
    void serverErrorThenSuccess(Api api) {
        deploy(api, 3, Duration.ofSeconds(5), 5);
        llm.reply(Reply.status(500), Reply.answer(GOOD));
        assertThat(analyse()).containsEntry("risk_score", 72).containsEntry("analysis_source", "llm");
        assertThat(llm.received()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    @DisplayName("An answer slower than the read timeout is given up after the retries; the rules stand in")
    void readTimeout(Api api) {
        deploy(api, 1, Duration.ofMillis(300), 5);
        llm.reply(Reply.answer(GOOD).after(3_000));
        Map<String, Object> event = analyse();
        assertRules(event, "timeout");
        assertThat((String) event.get("reasoning")).contains("after 2 attempts");
        assertThat(llm.received()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    @DisplayName("After repeated failures the breaker opens: the LLM is no longer called and the rules judge at once")
    void breakerOpens(Api api) {
        deploy(api, 0, Duration.ofSeconds(5), 2);
        llm.reply(Reply.status(503));
        assertRules(analyse(), "HTTP 503");
        assertRules(analyse(), "HTTP 503");
        Map<String, Object> third = analyse();
        assertRules(third, "circuit breaker 'llm' is open");
        assertThat(third.get("llm_prompt")).as("nothing was sent").isNull();
        assertThat(llm.received()).hasSize(2);
    }

    private static void assertRules(Map<String, Object> event, String reason) {
        RiskAssessment rules = new RuleBasedAnalyzer().analyze("Back Yard", List.of(
                new DetectionFact(1, NIGHT, "person", 0.91, List.of(new ZoneRef("z-door", "Back door", "entry_point"))),
                new DetectionFact(2, NIGHT.plusSeconds(30), "car", 0.70, List.of())),
                LocalTime.of(3, 10), Anomaly.unknown(0, 10));
        assertThat(event).containsEntry("analysis_source", "rules")
                .containsEntry("risk_score", rules.score()).containsEntry("risk_level", rules.level())
                .containsEntry("summary", rules.summary());
        assertThat(rules.score()).as("the rules see a person at an entry point at night").isGreaterThan(80);
        assertThat((String) event.get("reasoning")).startsWith(rules.reasoning())
                .contains("LLM unavailable").contains(reason);
    }

    /** One batch (a person at the back door, a car) through the stage; its event as stored. */
    private static Map<String, Object> analyse() {
        String batch = "batch-" + BATCHES.incrementAndGet();
        Instant at = NIGHT.plus(Duration.ofDays(7L * BATCHES.get()));
        long person = stage.detection("back_yard", "person", 0.91, at, "z-door");
        long car = stage.detection("back_yard", "car", 0.70, at.plusSeconds(30));
        stage.submit(batch, "back_yard", List.of(person, car));
        Map<String, Object> event = stage.awaitEvent(batch);
        assertThat(stage.events(batch)).isEqualTo(1);
        return event;
    }

    private static void deploy(Api api, int retries, Duration readTimeout, int breakerFailures) {
        LlmConfig config = new LlmConfig(Optional.of(llm.url()), api, "test-model", LlmConfig.NEMOTRON,
                Optional.of("test-key"), Duration.ofSeconds(2), readTimeout, retries, Duration.ofMillis(20));
        CircuitBreakers breakers = new CircuitBreakers(stage.vertx(), List.of(
                new BreakerSettings(CircuitBreakers.LLM, breakerFailures, Duration.ofSeconds(60), 1, 1)));
        stage.deploy(new AnalysisConfig(config, BaselineConfig.defaults()), breakers);
    }
}
