package dev.hsi.api;

import dev.hsi.bus.RedisKeys;
import dev.hsi.config.QueueConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.redis.client.RedisAPI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The original's dead-letter queue API under {@code /api/dlq}: counts, a non-destructive listing, requeueing the
 * oldest entry or all of them back to their source queue, and clearing. {@code {queue_name}} is a source queue
 * ({@code detection_queue}, {@code analysis_queue}) or its DLQ name ({@code dlq:detection_queue}, ...); responses
 * name the DLQ, as the original's do.
 *
 * <p>Requeueing respects {@code QUEUE_MAX_SIZE}: it stops once the source queue is full (the rest stays in the DLQ,
 * and the reply says so with {@code queue_full: true}); requeue-all moves at most {@code MAX_REQUEUE_ITERATIONS}.
 */
public final class DlqRoutes {

    static final int DEFAULT_JOBS_LIMIT = 100;
    static final int MAX_JOBS_LIMIT = 1000;

    /** Each accepted {@code {queue_name}} with the source queue it stands for, in the order errors list them. */
    private static final Map<String, String> SOURCE_QUEUES = sourceQueues();

    private final DlqRepository dlq;
    private final int maxRequeueIterations;

    /** @param queues {@code QUEUE_MAX_SIZE} bounds requeueing; {@code MAX_REQUEUE_ITERATIONS} caps requeue-all */
    public DlqRoutes(RedisAPI redis, QueueConfig queues) {
        this.dlq = new DlqRepository(redis, queues.maxSize());
        this.maxRequeueIterations = queues.maxRequeueIterations();
    }

    public void mount(Router router) {
        router.get("/api/dlq/stats").respond(ctx -> stats());
        router.get("/api/dlq/jobs/:queue_name").respond(this::jobs);
        router.post("/api/dlq/requeue/:queue_name").respond(this::requeue);
        router.post("/api/dlq/requeue-all/:queue_name").respond(this::requeueAll);
        router.delete("/api/dlq/:queue_name").respond(this::clear);
    }

    private Uni<JsonObject> stats() {
        return Uni.combine().all().unis(dlq.size(RedisKeys.DETECTION_QUEUE), dlq.size(RedisKeys.ANALYSIS_QUEUE))
                .asTuple().map(sizes -> new JsonObject()
                        .put("detection_queue_count", sizes.getItem1())
                        .put("analysis_queue_count", sizes.getItem2())
                        .put("total_count", sizes.getItem1() + sizes.getItem2()));
    }

    private Uni<JsonObject> jobs(RoutingContext ctx) {
        String queue = sourceQueue(ctx);
        QueryParams params = new QueryParams(ctx);
        int start = params.integer("start", 0, 0, Integer.MAX_VALUE);
        int limit = params.integer("limit", DEFAULT_JOBS_LIMIT, 1, MAX_JOBS_LIMIT);
        return dlq.entries(queue, start, limit).map(jobs -> new JsonObject()
                .put("queue_name", RedisKeys.deadLetter(queue))
                .put("jobs", jobs)
                .put("count", jobs.size()));
    }

    private Uni<JsonObject> requeue(RoutingContext ctx) {
        String queue = sourceQueue(ctx);
        String dlqName = RedisKeys.deadLetter(queue);
        return dlq.requeue(queue, 1).map(moved -> {
            JsonObject response = new JsonObject();
            if (!moved.jobs().isEmpty()) {
                return response.put("success", true)
                        .put("message", "Requeued the oldest job from " + dlqName + " to " + queue)
                        .put("job", moved.jobs().get(0))
                        .put("queue_full", false);
            }
            String message = moved.malformedEntry() != null ? malformed(dlqName)
                    : moved.contended() ? contended(dlqName)
                    : moved.queueFull() ? full(queue) + ": nothing requeued, the job stays in " + dlqName
                            + "; requeue it once the queue has drained"
                    : "No jobs in " + dlqName + " to requeue";
            return response.put("success", false).put("message", message).putNull("job")
                    .put("queue_full", moved.queueFull());
        });
    }

    private Uni<JsonObject> requeueAll(RoutingContext ctx) {
        String queue = sourceQueue(ctx);
        String dlqName = RedisKeys.deadLetter(queue);
        return dlq.requeue(queue, maxRequeueIterations).flatMap(moved -> dlq.size(queue).map(left -> {
            int requeued = moved.jobs().size();
            StringBuilder message = new StringBuilder();
            boolean stopped = moved.malformedEntry() != null || moved.contended() || moved.queueFull();
            if (requeued == 0 && !stopped) {
                message.append("No jobs in ").append(dlqName).append(" to requeue");
            } else {
                message.append("Requeued ").append(requeued).append(requeued == 1 ? " job" : " jobs")
                        .append(" from ").append(dlqName).append(" to ").append(queue);
            }
            if (moved.malformedEntry() != null) {
                message.append("; stopped: ").append(malformed(dlqName));
            } else if (moved.contended()) {
                message.append("; stopped: ").append(contended(dlqName));
            } else if (moved.queueFull()) {
                message.append("; stopped: ").append(full(queue)).append(", ").append(left).append(" still in ")
                        .append(dlqName).append("; requeue them once the queue has drained");
            } else if (requeued == maxRequeueIterations && left > 0) {
                message.append("; stopped at the limit of ").append(maxRequeueIterations)
                        .append(" (MAX_REQUEUE_ITERATIONS), ").append(left).append(" still in ").append(dlqName);
            }
            return new JsonObject()
                    .put("success", requeued > 0 && !stopped)
                    .put("message", message.toString())
                    .put("requeued", requeued)
                    .put("remaining", left)
                    .put("queue_full", moved.queueFull());
        }));
    }

    private Uni<JsonObject> clear(RoutingContext ctx) {
        String queue = sourceQueue(ctx);
        String dlqName = RedisKeys.deadLetter(queue);
        return dlq.clear(queue).map(cleared -> new JsonObject()
                .put("success", true)
                .put("message", "Cleared " + cleared + (cleared == 1 ? " job" : " jobs") + " from " + dlqName)
                .put("queue_name", dlqName));
    }

    private static String malformed(String dlqName) {
        return "the oldest entry in " + dlqName + " has no original_job to requeue; inspect it with GET /api/dlq/jobs/"
                + dlqName + " or clear the DLQ";
    }

    private String full(String queue) {
        return queue + " is full (QUEUE_MAX_SIZE " + dlq.maxQueueSize() + ")";
    }

    private static String contended(String dlqName) {
        return dlqName + " kept changing under other clients while jobs were being requeued; try again";
    }

    /** The source queue the {@code queue_name} path parameter names; a 400 listing the accepted names otherwise. */
    private static String sourceQueue(RoutingContext ctx) {
        String name = ctx.pathParam("queue_name");
        String queue = name == null ? null : SOURCE_QUEUES.get(name);
        if (queue == null) {
            throw ApiError.badRequest("queue_name must be one of " + String.join(", ", SOURCE_QUEUES.keySet())
                    + ", got '" + name + "'");
        }
        return queue;
    }

    private static Map<String, String> sourceQueues() {
        List<String> queues = List.of(RedisKeys.DETECTION_QUEUE, RedisKeys.ANALYSIS_QUEUE);
        Map<String, String> names = new LinkedHashMap<>();
        queues.forEach(queue -> names.put(queue, queue));
        queues.forEach(queue -> names.put(RedisKeys.deadLetter(queue), queue));
        return Collections.unmodifiableMap(names);
    }
}
