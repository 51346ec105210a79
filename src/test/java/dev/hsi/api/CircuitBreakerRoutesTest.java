package dev.hsi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hsi.resilience.Breaker;
import dev.hsi.resilience.CircuitBreakers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;
import io.vertx.mutiny.ext.web.Router;
import io.vertx.mutiny.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The circuit-breaker routes on a real Vert.x HTTP server, called with the JDK's HTTP client. */
class CircuitBreakerRoutesTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Vertx vertx;
    private static CircuitBreakers breakers;
    private static HttpServer http;
    private static String base;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        breakers = CircuitBreakers.withDefaults(vertx);
        Router router = Router.router(vertx);
        new CircuitBreakerRoutes(breakers).mount(router);
        router.route().failureHandler(CircuitBreakerRoutesTest::fail);
        http = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await().indefinitely();
        base = "http://127.0.0.1:" + http.actualPort();
    }

    @AfterAll
    static void stop() {
        vertx.closeAndAwait();
    }

    /** ApiVerticle's way of turning failures into {@code {"detail": ...}}. */
    private static void fail(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status = failure instanceof ApiError error ? error.status() : 500;
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .endAndForget(new JsonObject().put("detail", String.valueOf(failure.getMessage())).encode());
    }

    @Test
    @DisplayName("GET /api/system/circuit-breakers lists detector, llm and notifications with their state and metrics")
    void listsBreakers() throws Exception {
        HttpResponse<String> reply = send("GET", "/api/system/circuit-breakers");

        assertThat(reply.statusCode()).isEqualTo(200);
        JsonObject body = new JsonObject(reply.body());
        assertThat(body.getJsonObject("circuit_breakers").fieldNames())
                .containsExactly("detector", "llm", "notifications");
        assertThat(body.getJsonObject("circuit_breakers").getJsonObject("llm").getString("state")).isEqualTo("closed");
        assertThat(body.getInteger("total_count")).isEqualTo(3);
    }

    @Test
    @DisplayName("POST /api/system/circuit-breakers/{name}/reset closes an open breaker and reports the change")
    void resetClosesAnOpenBreaker() throws Exception {
        Breaker notifications = breakers.notifications();
        for (int i = 0; i < 5; i++) {
            catchThrowable(() -> notifications.call(() -> Uni.createFrom().failure(new IllegalStateException("down")))
                    .await().atMost(Duration.ofSeconds(5)));
        }
        assertThat(new JsonObject(send("GET", "/api/system/circuit-breakers").body()).getInteger("open_count"))
                .isEqualTo(1);

        HttpResponse<String> reply = send("POST", "/api/system/circuit-breakers/notifications/reset");

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(reply.body())).isEqualTo(new JsonObject()
                .put("name", "notifications").put("previous_state", "open").put("new_state", "closed")
                .put("message", "Circuit breaker 'notifications' reset from open to closed"));
        assertThat(notifications.state()).isEqualTo("closed");
    }

    @Test
    @DisplayName("Resetting an unknown breaker answers 404 naming the known ones")
    void unknownBreakerIs404() throws Exception {
        HttpResponse<String> reply = send("POST", "/api/system/circuit-breakers/rtdetr/reset");

        assertThat(reply.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(reply.body()).getString("detail"))
                .isEqualTo("Circuit breaker 'rtdetr' not found; known: detector, llm, notifications");
    }

    private static HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
