package dev.hsi.analyze;

import dev.hsi.analyze.llm.LlmClient;
import dev.hsi.bus.Addresses;
import dev.hsi.bus.AnalysisJob;
import dev.hsi.bus.RedisKeys;
import dev.hsi.bus.SecurityEvent;
import dev.hsi.config.AnalysisConfig;
import dev.hsi.config.LlmConfig;
import dev.hsi.config.QueueConfig;
import dev.hsi.logging.LogFields;
import dev.hsi.metrics.Stage;
import dev.hsi.prompt.PromptRepository;
import dev.hsi.metrics.StageTimings;
import dev.hsi.queue.JobHandler;
import dev.hsi.queue.PermanentFailure;
import dev.hsi.queue.QueueConsumer;
import dev.hsi.queue.WorkQueue;
import dev.hsi.resilience.CircuitBreakers;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analyze stage: consumes {@code analysis_queue}, judges each batch against the camera's baselines (by the LLM
 * when {@code NEMOTRON_URL} is set, with the rules standing in when it fails; by the rules otherwise), writes the
 * event and its junction rows and teaches the baselines the batch in one transaction, then announces the event on
 * the event bus and on the Redis channel {@code security_events}.
 *
 * <p>The LLM call is asynchronous (no event loop waits on it) and its retries are its own: an LLM failure never
 * fails the job, so the queue's retries never repeat it; a job retried because writing failed reuses the judgement
 * it made ({@link RecentJudgements}); a job redelivered after its event was written finds the event and asks
 * nothing.
 */
public final class AnalyzeVerticle extends AbstractVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyzeVerticle.class);

    private final Pool pool;
    private final Redis redisClient;
    private final RedisAPI redis;
    private final QueueConfig queues;
    private final String eventChannel;
    private final ZoneId zone;
    private final StageTimings timings;
    private final AnalysisConfig config;
    private final CircuitBreakers breakers;
    private final RecentJudgements recent = new RecentJudgements();
    private EventRepository events;
    private BaselineRepository baselines;
    private BatchAnalyzer analyzer;
    private Optional<LlmClient> llm = Optional.empty();
    private QueueConsumer consumer;

    public AnalyzeVerticle(AnalysisConfig config, Pool pool, Redis redisClient, RedisAPI redis, QueueConfig queues,
            String eventChannel, ZoneId zone, StageTimings timings, CircuitBreakers breakers) {
        this.config = config;
        this.queues = queues;
        this.pool = pool;
        this.redisClient = redisClient;
        this.redis = redis;
        this.eventChannel = eventChannel;
        this.zone = zone;
        this.timings = timings;
        this.breakers = breakers;
    }

    @Override
    public Uni<Void> asyncStart() {
        baselines = new BaselineRepository(pool, config.baseline(), zone);
        events = new EventRepository(pool, baselines);
        LlmConfig llmConfig = config.llm();
        if (llmConfig.enabled()) {
            llm = Optional.of(new LlmClient(vertx, llmConfig, breakers.llm()));
        }
        analyzer = new BatchAnalyzer(llm, new PromptRepository(pool), llmConfig.promptModel(), zone);
        WorkQueue queue = new WorkQueue(redis, RedisKeys.ANALYSIS_QUEUE, queues);
        consumer = new QueueConsumer(vertx, redisClient, queue, 1, JobHandler.oneByOne(this::process));
        consumer.start();
        LOG.info("Analysis: {}; hours judged in time zone {}", llm.map(client -> "LLM at "
                + client.endpoint() + " (rule-based when it fails)").orElse("rule-based (no NEMOTRON_URL)"), zone);
        return Uni.createFrom().voidItem();
    }

    /**
     * Judges one batch and writes its event, once: a job that runs again (redelivered after a crash, or pushed
     * twice) finds the event its first run wrote and announces that one again, so clients that missed it still
     * get it. Detections that an event of another batch already holds are left out.
     */
    private Uni<Void> process(String rawJob) {
        AnalysisJob job = AnalysisJob.fromJson(rawJob);
        // the camera's baselines are read side by side with the lookup: one round trip for both
        return Uni.combine().all().unis(events.findBatchDetections(job.batchId(), job.detectionIds()),
                        baselines.read(job.cameraId()))
                .asTuple()
                .onItem().transformToUni(read -> {
                    EventRepository.BatchLookup lookup = read.getItem1();
                    if (lookup.nothingExists()) {
                        throw new PermanentFailure("none of the batch's detections exist any more: " + job.detectionIds());
                    }
                    if (lookup.free().isEmpty()) {
                        LOG.info("Batch {}: its detections {} already belong to event(s) {}; no new event",
                                job.batchId(), job.detectionIds(), lookup.inOtherEvents());
                        return Uni.createFrom().voidItem();
                    }
                    BatchDetections batch = lookup.free().get();
                    if (lookup.eventWritten()) {
                        return events.findEvent(job, batch.detections()).onItem().transformToUni(existing -> existing
                                .map(event -> announce(new EventRepository.Written(event, false)))
                                // its links are there but the event row is not visible yet: the insert's own
                                // check decides, as for a new event
                                .orElseGet(() -> judgeAndWrite(job, batch, read.getItem2())));
                    }
                    return judgeAndWrite(job, batch, read.getItem2());
                });
    }

    /** Judges the batch (or takes the judgement an earlier failed run made) and writes its event. */
    private Uni<Void> judgeAndWrite(AnalysisJob job, BatchDetections batch,
            BaselineRepository.CameraBaselines cameraBaselines) {
        List<DetectionFact> detections = batch.detections();
        Uni<Judgement> judgement = recent.get(job.batchId()).map(known -> Uni.createFrom().item(known))
                .orElseGet(() -> analyzer.judge(job.batchId(), batch, baselines.judge(cameraBaselines, detections))
                        .invoke(made -> recent.put(job.batchId(), made)));
        return judgement
                .onItem().transformToUni(made -> events.insertEvent(job, detections, made))
                .invoke(written -> recent.forget(job.batchId()))
                .onItem().transformToUni(this::announce);
    }

    private Uni<Void> announce(EventRepository.Written written) {
        SecurityEvent event = written.event();
        vertx.eventBus().publish(Addresses.EVENT_CREATED, event);
        timings.record(Stage.BATCH_CLOSED_TO_BROADCAST, Duration.between(event.batchClosedAt(), Instant.now()));
        if (written.created()) {
            LOG.atInfo().addKeyValue(LogFields.CAMERA_ID, event.cameraId()).addKeyValue(LogFields.EVENT_ID, event.id())
                    .log("Event {} for camera {}: risk {} ({}) by {}, anomaly {}: {}", event.id(), event.cameraId(),
                    event.riskScore(), event.riskLevel(), event.analysisSource(),
                    event.anomalyScore().map(score -> String.format("%.2f", score)).orElse("unknown"), event.summary());
        } else {
            LOG.info("Event {} of batch {} was written by an earlier run of its analysis; announced again",
                    event.id(), event.batchId());
        }
        return redis.publish(eventChannel, event.toMessage().encode())
                .replaceWithVoid()
                .onFailure().invoke(failure -> LOG.warn("Publishing event {} on Redis channel {} failed: {}",
                        event.id(), eventChannel, failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    @Override
    public Uni<Void> asyncStop() {
        if (consumer != null) {
            consumer.stop();
        }
        llm.ifPresent(LlmClient::close);
        return Uni.createFrom().voidItem();
    }
}
