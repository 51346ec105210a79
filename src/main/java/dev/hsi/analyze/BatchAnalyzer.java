package dev.hsi.analyze;

import dev.hsi.analyze.llm.LlmClient;
import dev.hsi.analyze.llm.LlmRequest;
import dev.hsi.analyze.llm.LlmUnavailableException;
import dev.hsi.analyze.llm.LlmVerdict;
import dev.hsi.prompt.PromptConfig;
import dev.hsi.prompt.PromptRepository;
import io.smallrye.mutiny.Uni;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges one batch: by the LLM with the stored prompt when one is configured, else by the rules. When the LLM
 * gives no usable judgement (unreachable, timing out, failing after its retries, answering garbage, or its breaker
 * open) the rules' judgement stands in, and says so; the LLM's failure never fails the batch.
 */
final class BatchAnalyzer {

    private static final Logger LOG = LoggerFactory.getLogger(BatchAnalyzer.class);

    private final RuleBasedAnalyzer rules = new RuleBasedAnalyzer();
    private final Optional<LlmClient> llm;
    private final PromptRepository prompts;
    private final String promptModel;
    private final PromptBuilder promptBuilder;
    private final ZoneId zone;

    BatchAnalyzer(Optional<LlmClient> llm, PromptRepository prompts, String promptModel, ZoneId zone) {
        this.llm = llm;
        this.prompts = prompts;
        this.promptModel = promptModel;
        this.promptBuilder = new PromptBuilder(zone);
        this.zone = zone;
    }

    Uni<Judgement> judge(String batchId, BatchDetections batch, Anomaly anomaly) {
        List<DetectionFact> detections = batch.detections();
        RiskAssessment byRules = rules.analyze(batch.cameraName(), detections,
                detections.get(0).detectedAt().atZone(zone).toLocalTime(), anomaly);
        if (llm.isEmpty()) {
            return Uni.createFrom().item(Judgement.byRules(byRules, Optional.empty(), anomaly));
        }
        LlmClient client = llm.get();
        return prompts.current(promptModel).onItem().transformToUni(stored -> {
            PromptConfig prompt = stored.orElseThrow(() -> new IllegalStateException(
                    "no prompt stored or built in for model " + promptModel));
            LlmRequest request = new LlmRequest(prompt.settings().systemPrompt(),
                    promptBuilder.userMessage(batch.cameraName(), detections, anomaly),
                    prompt.settings().temperature(), prompt.settings().maxTokens());
            String sent = client.promptText(request);
            return client.judge(request)
                    .map(verdict -> Judgement.byLlm(risk(verdict), sent, anomaly))
                    .onFailure(LlmUnavailableException.class).recoverWithItem(failure -> {
                        LlmUnavailableException unavailable = (LlmUnavailableException) failure;
                        LOG.warn("Batch {}: LLM at {} gave no judgement ({}); the rule-based one stands in",
                                batchId, client.endpoint(), unavailable.getMessage());
                        RiskAssessment fallback = new RiskAssessment(byRules.score(), byRules.level(),
                                byRules.summary(), byRules.reasoning() + " (LLM unavailable: "
                                        + unavailable.getMessage() + ")");
                        return Judgement.byRules(fallback,
                                unavailable.sent() ? Optional.of(sent) : Optional.empty(), anomaly);
                    });
        });
    }

    private static RiskAssessment risk(LlmVerdict verdict) {
        return new RiskAssessment(verdict.score(), verdict.level().orElseGet(() -> RiskAssessment.levelOf(verdict.score())),
                verdict.summary(), verdict.reasoning());
    }
}
