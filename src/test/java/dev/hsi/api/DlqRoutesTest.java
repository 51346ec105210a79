package dev.hsi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.bus.RedisKeys;
import dev.hsi.config.QueueConfig;
import dev.hsi.config.QueueConfig.OverflowPolicy;
import dev.hsi.infra.EmbeddedServers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

/**
 * The DLQ API against a real (embedded) Redis, served by a Vert.x HTTP server with the routes mounted as
 * ApiVerticle mounts them, and called with the JDK's HTTP client. Entries are written in WorkQueue's DLQ shape.
 */
class DlqRoutesTest {

    private static final String DETECTION_DLQ = RedisKeys.deadLetter(RedisKeys.DETECTION_QUEUE);
    private static final String ANALYSIS_DLQ = RedisKeys.deadLetter(RedisKeys.ANALYSIS_QUEUE);
    private static final int SMALL_CAP = 5;
    private static final int SMALL_QUEUE = 4;
    private static final String ACCEPTED =
            "detection_queue, analysis_queue, dlq:detection_queue, dlq:analysis_queue";

    @TempDir
    static Path redisDir;

    private static RedisServer redisServer;
    private static Vertx vertx;
    private static RedisAPI redis;
    private static HttpServer http;
    private static String base;
    private static String cappedBase;
    private static HttpServer cappedHttp;
    private static String boundedBase;
    private static HttpServer boundedHttp;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        redisServer = EmbeddedServers.startRedis(redisDir);
        vertx = Vertx.vertx();
        redis = RedisAPI.api(Redis.createClient(vertx,
                new RedisOptions().setConnectionString(EmbeddedServers.redisUrl(redisServer))));
        http = serve(new DlqRoutes(redis, QueueConfig.DEFAULTS));
        base = "http://127.0.0.1:" + http.actualPort();
        cappedHttp = serve(new DlqRoutes(redis, new QueueConfig(10_000, OverflowPolicy.DLQ, 0.8, SMALL_CAP,
                QueueConfig.DEFAULT_CONSUMER_TIMEOUT, QueueConfig.DEFAULT_REAPER_INTERVAL)));
        cappedBase = "http://127.0.0.1:" + cappedHttp.actualPort();
        boundedHttp = serve(new DlqRoutes(redis, new QueueConfig(SMALL_QUEUE, OverflowPolicy.DLQ, 0.8)));
        boundedBase = "http://127.0.0.1:" + boundedHttp.actualPort();
    }

    /** A server with the DLQ routes and ApiVerticle's way of turning failures into {@code {"detail": ...}}. */
    private static HttpServer serve(DlqRoutes routes) {
        Router router = Router.router(vertx);
        routes.mount(router);
        router.route().last().handler(ctx -> ctx.fail(ApiError.notFound("Not Found: " + ctx.request().path())));
        router.route().failureHandler(DlqRoutesTest::fail);
        return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await().indefinitely();
    }

    private static void fail(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status = failure instanceof ApiError error ? error.status() : 500;
        String detail = failure == null ? "Request failed" : failure.getMessage();
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .endAndForget(new JsonObject().put("detail", detail).encode());
    }

    @AfterAll
    static void stop() {
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (redisServer != null) {
            try {
                redisServer.stop();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeEach
    void emptyRedis() {
        redis.flushall(List.of()).await().indefinitely();
    }

    @Test
    @DisplayName("GET /api/dlq/stats counts each DLQ and their total")
    void statsCountsBothQueues() {
        deadLetter(RedisKeys.DETECTION_QUEUE, detectionJob(1), detectionJob(2), detectionJob(3));
        deadLetter(RedisKeys.ANALYSIS_QUEUE, analysisJob("a"));

        Reply reply = call("GET", "/api/dlq/stats");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json()).isEqualTo(new JsonObject()
                .put("detection_queue_count", 3).put("analysis_queue_count", 1).put("total_count", 4));
    }

    @Test
    @DisplayName("GET /api/dlq/stats answers zeros when no job ever failed")
    void statsOfEmptyDlqs() {
        assertThat(call("GET", "/api/dlq/stats").json()).isEqualTo(new JsonObject()
                .put("detection_queue_count", 0).put("analysis_queue_count", 0).put("total_count", 0));
    }

    @Test
    @DisplayName("GET /api/dlq/jobs lists the DLQ entries oldest first as JSON objects, pages with start and limit, and removes nothing")
    void jobsListsPagesAndKeepsEntries() {
        List<JsonObject> entries = deadLetter(RedisKeys.DETECTION_QUEUE,
                IntStream.rangeClosed(1, 7).mapToObj(DlqRoutesTest::detectionJob).toArray(JsonObject[]::new));

        JsonObject all = call("GET", "/api/dlq/jobs/detection_queue").json();
        assertThat(all.getString("queue_name")).isEqualTo(DETECTION_DLQ);
        assertThat(all.getInteger("count")).isEqualTo(7);
        assertThat(all.getJsonArray("jobs")).isEqualTo(new JsonArray(new ArrayList<>(entries)));
        JsonObject first = all.getJsonArray("jobs").getJsonObject(0);
        assertThat(first.fieldNames()).containsExactly("original_job", "error", "attempt_count", "first_failed_at",
                "last_failed_at", "queue_name", "total_attempts");

        JsonObject page = call("GET", "/api/dlq/jobs/detection_queue?start=2&limit=3").json();
        assertThat(page.getInteger("count")).isEqualTo(3);
        assertThat(page.getJsonArray("jobs")).isEqualTo(new JsonArray(new ArrayList<>(entries.subList(2, 5))));

        JsonObject past = call("GET", "/api/dlq/jobs/detection_queue?start=10").json();
        assertThat(past.getInteger("count")).isZero();
        assertThat(past.getJsonArray("jobs")).isEmpty();

        assertThat(length(DETECTION_DLQ)).isEqualTo(7);
    }

    @Test
    @DisplayName("GET /api/dlq/jobs accepts the dlq:-prefixed name and lists only that DLQ")
    void jobsAcceptsPrefixedName() {
        deadLetter(RedisKeys.DETECTION_QUEUE, detectionJob(1));
        List<JsonObject> analysis = deadLetter(RedisKeys.ANALYSIS_QUEUE, analysisJob("b1"), analysisJob("b2"));

        JsonObject listed = call("GET", "/api/dlq/jobs/dlq:analysis_queue").json();

        assertThat(listed.getString("queue_name")).isEqualTo(ANALYSIS_DLQ);
        assertThat(listed.getJsonArray("jobs")).isEqualTo(new JsonArray(new ArrayList<>(analysis)));
    }

    @Test
    @DisplayName("GET /api/dlq/jobs refuses a limit above 1000 or below 1 and a negative start with 400")
    void jobsValidatesPaging() {
        for (String query : List.of("limit=1001", "limit=0", "start=-1", "limit=ten")) {
            Reply reply = call("GET", "/api/dlq/jobs/detection_queue?" + query);
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(reply.json().getString("detail")).as(query).contains(query.substring(0, query.indexOf('=')));
        }
        assertThat(call("GET", "/api/dlq/jobs/detection_queue?limit=1000").status()).isEqualTo(200);
    }

    @Test
    @DisplayName("POST /api/dlq/requeue moves the oldest entry's original job to the end of its source queue and removes it from the DLQ")
    void requeueMovesOldest() {
        redis.rpush(List.of(RedisKeys.DETECTION_QUEUE, detectionJob(100).encode())).await().indefinitely();
        List<JsonObject> entries = deadLetter(RedisKeys.DETECTION_QUEUE, detectionJob(1), detectionJob(2));
        deadLetter(RedisKeys.ANALYSIS_QUEUE, analysisJob("untouched"));

        JsonObject reply = call("POST", "/api/dlq/requeue/detection_queue").json();

        assertThat(reply.getBoolean("success")).isTrue();
        assertThat(reply.getString("message")).contains(DETECTION_DLQ).contains(RedisKeys.DETECTION_QUEUE);
        assertThat(reply.getJsonObject("job")).isEqualTo(detectionJob(1));
        assertThat(list(RedisKeys.DETECTION_QUEUE))
                .containsExactly(detectionJob(100).encode(), detectionJob(1).encode());
        assertThat(list(DETECTION_DLQ)).containsExactly(entries.get(1).encode());
        assertThat(length(ANALYSIS_DLQ)).isEqualTo(1);
        assertThat(length(RedisKeys.ANALYSIS_QUEUE)).isZero();
    }

    @Test
    @DisplayName("POST /api/dlq/requeue with the dlq:analysis_queue name sends the job back to analysis_queue")
    void requeueAnalysisToItsQueue() {
        deadLetter(RedisKeys.ANALYSIS_QUEUE, analysisJob("batch-7"));

        JsonObject reply = call("POST", "/api/dlq/requeue/dlq:analysis_queue").json();

        assertThat(reply.getBoolean("success")).isTrue();
        assertThat(reply.getJsonObject("job")).isEqualTo(analysisJob("batch-7"));
        assertThat(list(RedisKeys.ANALYSIS_QUEUE)).containsExactly(analysisJob("batch-7").encode());
        assertThat(length(ANALYSIS_DLQ)).isZero();
        assertThat(length(RedisKeys.DETECTION_QUEUE)).isZero();
    }

    @Test
    @DisplayName("POST /api/dlq/requeue puts a job that was not JSON back exactly as it was received")
    void requeueRawJob() {
        JsonObject entry = entry(RedisKeys.DETECTION_QUEUE, "not json {", 1);
        redis.rpush(List.of(DETECTION_DLQ, entry.encode())).await().indefinitely();

        JsonObject reply = call("POST", "/api/dlq/requeue/detection_queue").json();

        assertThat(reply.getBoolean("success")).isTrue();
        assertThat(reply.getString("job")).isEqualTo("not json {");
        assertThat(list(RedisKeys.DETECTION_QUEUE)).containsExactly("not json {");
    }

    @Test
    @DisplayName("POST /api/dlq/requeue on an empty DLQ answers success false, a message and a null job")
    void requeueEmpty() {
        Reply reply = call("POST", "/api/dlq/requeue/detection_queue");

        assertThat(reply.status()).isEqualTo(200);
        JsonObject body = reply.json();
        assertThat(body.getBoolean("success")).isFalse();
        assertThat(body.getString("message")).contains("No jobs").contains(DETECTION_DLQ);
        assertThat(body.containsKey("job")).isTrue();
        assertThat(body.getValue("job")).isNull();
        assertThat(length(RedisKeys.DETECTION_QUEUE)).isZero();
    }

    @Test
    @DisplayName("POST /api/dlq/requeue leaves an entry without an original_job in place and says so")
    void requeueMalformedEntry() {
        redis.rpush(List.of(DETECTION_DLQ, "{\"error\":\"no job here\"}")).await().indefinitely();

        JsonObject body = call("POST", "/api/dlq/requeue/detection_queue").json();

        assertThat(body.getBoolean("success")).isFalse();
        assertThat(body.getString("message")).contains("original_job");
        assertThat(body.getValue("job")).isNull();
        assertThat(list(DETECTION_DLQ)).containsExactly("{\"error\":\"no job here\"}");
        assertThat(length(RedisKeys.DETECTION_QUEUE)).isZero();
    }

    @Test
    @DisplayName("POST /api/dlq/requeue-all moves every original job back in order, over several batches, and empties the DLQ")
    void requeueAllMovesEverything() {
        JsonObject[] jobs = IntStream.rangeClosed(1, 250).mapToObj(DlqRoutesTest::detectionJob)
                .toArray(JsonObject[]::new);
        deadLetter(RedisKeys.DETECTION_QUEUE, jobs);
        deadLetter(RedisKeys.ANALYSIS_QUEUE, analysisJob("stays"));

        JsonObject body = call("POST", "/api/dlq/requeue-all/detection_queue").json();

        assertThat(body.getBoolean("success")).isTrue();
        assertThat(body.getInteger("requeued")).isEqualTo(250);
        assertThat(body.getString("message")).contains("250").contains(DETECTION_DLQ);
        assertThat(length(DETECTION_DLQ)).isZero();
        assertThat(list(RedisKeys.DETECTION_QUEUE))
                .containsExactly(IntStream.range(0, 250).mapToObj(i -> jobs[i].encode()).toArray(String[]::new));
        assertThat(length(ANALYSIS_DLQ)).isEqualTo(1);
    }

    @Test
    @DisplayName("POST /api/dlq/requeue-all stops at the requeue cap and reports how many are left")
    void requeueAllIsCapped() {
        deadLetter(RedisKeys.ANALYSIS_QUEUE,
                IntStream.rangeClosed(1, SMALL_CAP + 3).mapToObj(i -> analysisJob("b" + i)).toArray(JsonObject[]::new));

        JsonObject body = call(cappedBase, "POST", "/api/dlq/requeue-all/analysis_queue").json();

        assertThat(body.getBoolean("success")).isTrue();
        assertThat(body.getInteger("requeued")).isEqualTo(SMALL_CAP);
        assertThat(body.getString("message")).contains("MAX_REQUEUE_ITERATIONS").contains("3 still in");
        assertThat(list(RedisKeys.ANALYSIS_QUEUE)).containsExactly(IntStream.rangeClosed(1, SMALL_CAP)
                .mapToObj(i -> analysisJob("b" + i).encode()).toArray(String[]::new));
        assertThat(length(ANALYSIS_DLQ)).isEqualTo(3);
        assertThat(body.getInteger("remaining")).isEqualTo(3);
    }

    @Test
    @DisplayName("POST /api/dlq/requeue-all stops once the source queue holds QUEUE_MAX_SIZE jobs, says so, and keeps"
            + " the rest in the DLQ in order")
    void requeueAllStopsAtAFullQueue() {
        redis.rpush(List.of(RedisKeys.DETECTION_QUEUE, detectionJob(100).encode())).await().indefinitely();
        JsonObject[] jobs = IntStream.rangeClosed(1, 6).mapToObj(DlqRoutesTest::detectionJob).toArray(JsonObject[]::new);
        List<JsonObject> entries = deadLetter(RedisKeys.DETECTION_QUEUE, jobs);

        JsonObject body = call(boundedBase, "POST", "/api/dlq/requeue-all/detection_queue").json();

        assertThat(body.getBoolean("success")).isFalse();
        assertThat(body.getBoolean("queue_full")).isTrue();
        assertThat(body.getInteger("requeued")).isEqualTo(SMALL_QUEUE - 1);
        assertThat(body.getInteger("remaining")).isEqualTo(3);
        assertThat(body.getString("message")).contains("Requeued 3 jobs").contains("detection_queue is full")
                .contains("QUEUE_MAX_SIZE " + SMALL_QUEUE).contains("3 still in " + DETECTION_DLQ);
        assertThat(list(RedisKeys.DETECTION_QUEUE)).containsExactly(detectionJob(100).encode(),
                jobs[0].encode(), jobs[1].encode(), jobs[2].encode());
        assertThat(list(DETECTION_DLQ)).containsExactly(
                entries.get(3).encode(), entries.get(4).encode(), entries.get(5).encode());

        JsonObject again = call(boundedBase, "POST", "/api/dlq/requeue-all/detection_queue").json();
        assertThat(again.getInteger("requeued")).isZero();
        assertThat(again.getBoolean("queue_full")).isTrue();
        assertThat(length(DETECTION_DLQ)).isEqualTo(3);
    }

    @Test
    @DisplayName("POST /api/dlq/requeue onto a full source queue moves nothing and says the queue is full")
    void requeueOntoAFullQueue() {
        for (int i = 0; i < SMALL_QUEUE; i++) {
            redis.rpush(List.of(RedisKeys.ANALYSIS_QUEUE, analysisJob("waiting" + i).encode())).await().indefinitely();
        }
        List<JsonObject> entries = deadLetter(RedisKeys.ANALYSIS_QUEUE, analysisJob("dead"));

        JsonObject body = call(boundedBase, "POST", "/api/dlq/requeue/analysis_queue").json();

        assertThat(body.getBoolean("success")).isFalse();
        assertThat(body.getBoolean("queue_full")).isTrue();
        assertThat(body.getValue("job")).isNull();
        assertThat(body.getString("message")).contains("analysis_queue is full").contains("stays in " + ANALYSIS_DLQ);
        assertThat(list(ANALYSIS_DLQ)).containsExactly(entries.get(0).encode());
        assertThat(length(RedisKeys.ANALYSIS_QUEUE)).isEqualTo(SMALL_QUEUE);

        redis.lpop(List.of(RedisKeys.ANALYSIS_QUEUE)).await().indefinitely();
        JsonObject moved = call(boundedBase, "POST", "/api/dlq/requeue/analysis_queue").json();
        assertThat(moved.getBoolean("success")).isTrue();
        assertThat(moved.getBoolean("queue_full")).isFalse();
        assertThat(moved.getJsonObject("job")).isEqualTo(analysisJob("dead"));
    }

    @Test
    @DisplayName("POST /api/dlq/requeue-all on an empty DLQ answers success false and requeued 0")
    void requeueAllEmpty() {
        JsonObject body = call("POST", "/api/dlq/requeue-all/dlq:detection_queue").json();

        assertThat(body.getBoolean("success")).isFalse();
        assertThat(body.getInteger("requeued")).isZero();
        assertThat(body.getString("message")).contains("No jobs");
    }

    @Test
    @DisplayName("POST /api/dlq/requeue-all moves the jobs before an entry without an original_job and stops there")
    void requeueAllStopsAtMalformedEntry() {
        List<JsonObject> before = deadLetter(RedisKeys.DETECTION_QUEUE, detectionJob(1), detectionJob(2));
        redis.rpush(List.of(DETECTION_DLQ, "garbage")).await().indefinitely();
        deadLetter(RedisKeys.DETECTION_QUEUE, detectionJob(3));

        JsonObject body = call("POST", "/api/dlq/requeue-all/detection_queue").json();

        assertThat(body.getBoolean("success")).isFalse();
        assertThat(body.getInteger("requeued")).isEqualTo(2);
        assertThat(body.getString("message")).contains("original_job");
        assertThat(list(RedisKeys.DETECTION_QUEUE)).containsExactly(
                before.get(0).getJsonObject("original_job").encode(),
                before.get(1).getJsonObject("original_job").encode());
        assertThat(list(DETECTION_DLQ)).hasSize(2).first().isEqualTo("garbage");
    }

    @Test
    @DisplayName("Concurrent requeues move each DLQ entry exactly once: no job is lost or duplicated")
    void concurrentRequeuesMoveEachJobOnce() {
        JsonObject[] jobs = IntStream.rangeClosed(1, 300).mapToObj(DlqRoutesTest::detectionJob)
                .toArray(JsonObject[]::new);
        deadLetter(RedisKeys.DETECTION_QUEUE, jobs);

        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            replies.add(callAsync("POST", "/api/dlq/requeue-all/detection_queue"));
        }
        for (int i = 0; i < 20; i++) {
            replies.add(callAsync("POST", "/api/dlq/requeue/detection_queue"));
        }
        int moved = 0;
        for (CompletableFuture<Reply> reply : replies) {
            JsonObject body = reply.join().json();
            moved += body.containsKey("requeued") ? body.getInteger("requeued") : body.getValue("job") == null ? 0 : 1;
        }

        assertThat(moved).isEqualTo(300);
        assertThat(length(DETECTION_DLQ)).isZero();
        assertThat(list(RedisKeys.DETECTION_QUEUE)).containsExactlyInAnyOrder(
                IntStream.range(0, 300).mapToObj(i -> jobs[i].encode()).toArray(String[]::new));
    }

    @Test
    @DisplayName("DELETE /api/dlq/{queue_name} clears that DLQ only and names it")
    void deleteClears() {
        deadLetter(RedisKeys.DETECTION_QUEUE, detectionJob(1), detectionJob(2));
        deadLetter(RedisKeys.ANALYSIS_QUEUE, analysisJob("kept"));

        Reply reply = call("DELETE", "/api/dlq/detection_queue");

        assertThat(reply.status()).isEqualTo(200);
        JsonObject body = reply.json();
        assertThat(body.getBoolean("success")).isTrue();
        assertThat(body.getString("queue_name")).isEqualTo(DETECTION_DLQ);
        assertThat(body.getString("message")).contains("2 jobs");
        assertThat(length(DETECTION_DLQ)).isZero();
        assertThat(length(ANALYSIS_DLQ)).isEqualTo(1);
        assertThat(length(RedisKeys.DETECTION_QUEUE)).isZero();
        assertThat(call("GET", "/api/dlq/stats").json().getInteger("total_count")).isEqualTo(1);

        JsonObject again = call("DELETE", "/api/dlq/dlq:detection_queue").json();
        assertThat(again.getBoolean("success")).isTrue();
        assertThat(again.getString("message")).contains("0 jobs");
    }

    @Test
    @DisplayName("Every DLQ route refuses an unknown queue name with 400 listing the accepted names")
    void unknownQueueName() {
        for (String[] route : new String[][] {
                {"GET", "/api/dlq/jobs/ingest_queue"},
                {"POST", "/api/dlq/requeue/dlq:ingest_queue"},
                {"POST", "/api/dlq/requeue-all/DETECTION_QUEUE"},
                {"DELETE", "/api/dlq/detection_queue:processing"}}) {
            Reply reply = call(route[0], route[1]);
            assertThat(reply.status()).as(route[1]).isEqualTo(400);
            assertThat(reply.json().getString("detail")).as(route[1]).contains(ACCEPTED);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static JsonObject detectionJob(int n) {
        return new JsonObject().put("camera_id", "front_door").put("file_path", "/data/front_door/img" + n + ".jpg")
                .put("media_type", "image").put("confidence", 0.123456789012345).put("tags", new JsonArray());
    }

    private static JsonObject analysisJob(String batchId) {
        return new JsonObject().put("batch_id", batchId).put("camera_id", "garage")
                .put("detection_ids", new JsonArray().add(1).add(9_007_199_254_740_993L));
    }

    private static JsonObject entry(String queue, Object originalJob, int n) {
        return new JsonObject()
                .put("original_job", originalJob)
                .put("error", "detector failed " + n)
                .put("attempt_count", 3)
                .put("first_failed_at", "2026-11-22T08:30:0" + (n % 10) + "Z")
                .put("last_failed_at", "2026-11-22T08:31:0" + (n % 10) + "Z")
                .put("queue_name", queue)
                .put("total_attempts", 4);
    }

    /** Pushes entries in WorkQueue's DLQ shape (a job that ran four times), oldest first; returns them. */
    private static List<JsonObject> deadLetter(String queue, JsonObject... jobs) {
        List<JsonObject> entries = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of(RedisKeys.deadLetter(queue)));
        for (int i = 0; i < jobs.length; i++) {
            JsonObject entry = entry(queue, jobs[i], i + 1);
            entries.add(entry);
            args.add(entry.encode());
        }
        redis.rpush(args).await().indefinitely();
        return entries;
    }

    private static long length(String key) {
        return redis.llen(key).await().indefinitely().toLong();
    }

    private static List<String> list(String key) {
        List<String> items = new ArrayList<>();
        Response range = redis.lrange(key, "0", "-1").await().indefinitely();
        range.forEach(item -> items.add(item.toString()));
        return items;
    }

    private record Reply(int status, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    private static Reply call(String method, String path) {
        return call(base, method, path);
    }

    private static CompletableFuture<Reply> callAsync(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Reply(response.statusCode(), response.body()));
    }

    private static Reply call(String server, String method, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(30))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
