package dev.hsi.analyze;

import dev.hsi.bus.Addresses;
import dev.hsi.bus.AnalysisJob;
import dev.hsi.bus.RedisKeys;
import dev.hsi.bus.SecurityEvent;
import dev.hsi.config.QueueConfig;
import dev.hsi.metrics.Stage;
import dev.hsi.metrics.StageTimings;
import dev.hsi.queue.JobHandler;
import dev.hsi.queue.PermanentFailure;
import dev.hsi.queue.QueueConsumer;
import dev.hsi.queue.WorkQueue;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analyze stage: consumes {@code analysis_queue}, judges each batch (rule-based until an LLM is configured),
 * writes the event and its junction rows in one transaction, then announces it on the event bus and on the
 * Redis channel {@code security_events}.
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
    private final RuleBasedAnalyzer analyzer = new RuleBasedAnalyzer();
    private EventRepository events;
    private QueueConsumer consumer;

    public AnalyzeVerticle(Pool pool, Redis redisClient, RedisAPI redis, QueueConfig queues, String eventChannel,
            ZoneId zone, StageTimings timings) {
        this.pool = pool;
        this.queues = queues;
        this.redisClient = redisClient;
        this.redis = redis;
        this.eventChannel = eventChannel;
        this.zone = zone;
        this.timings = timings;
    }

    @Override
    public Uni<Void> asyncStart() {
        events = new EventRepository(pool);
        WorkQueue queue = new WorkQueue(redis, RedisKeys.ANALYSIS_QUEUE, queues);
        consumer = new QueueConsumer(vertx, redisClient, queue, 1, JobHandler.oneByOne(this::process));
        consumer.start();
        LOG.info("Analysis: rule-based, night hours judged in time zone {}", zone);
        return Uni.createFrom().voidItem();
    }

    /**
     * Judges one batch and writes its event, once: a job that runs again (redelivered after a crash, or pushed
     * twice) finds the event its first run wrote and announces that one again, so clients that missed it still
     * get it. Detections that an event of another batch already holds are left out.
     */
    private Uni<Void> process(String rawJob) {
        AnalysisJob job = AnalysisJob.fromJson(rawJob);
        return events.findBatchDetections(job.batchId(), job.detectionIds())
                .onItem().transformToUni(lookup -> {
                    if (lookup.nothingExists()) {
                        throw new PermanentFailure("none of the batch's detections exist any more: " + job.detectionIds());
                    }
                    if (lookup.free().isEmpty()) {
                        LOG.info("Batch {}: its detections {} already belong to event(s) {}; no new event",
                                job.batchId(), job.detectionIds(), lookup.inOtherEvents());
                        return Uni.createFrom().voidItem();
                    }
                    BatchDetections batch = lookup.free().get();
                    List<DetectionFact> detections = batch.detections();
                    RiskAssessment risk = analyzer.analyze(batch.cameraName(), detections,
                            detections.get(0).detectedAt().atZone(zone).toLocalTime());
                    return events.insertEvent(job, detections, risk).onItem().transformToUni(this::announce);
                });
    }

    private Uni<Void> announce(EventRepository.Written written) {
        SecurityEvent event = written.event();
        vertx.eventBus().publish(Addresses.EVENT_CREATED, event);
        timings.record(Stage.BATCH_CLOSED_TO_BROADCAST, Duration.between(event.batchClosedAt(), Instant.now()));
        if (written.created()) {
            LOG.info("Event {} for camera {}: risk {} ({}): {}",
                    event.id(), event.cameraId(), event.riskScore(), event.riskLevel(), event.summary());
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
        return Uni.createFrom().voidItem();
    }
}
