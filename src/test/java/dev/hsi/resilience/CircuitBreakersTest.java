package dev.hsi.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hsi.support.Eventually;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The breakers on a real Vert.x, with a short recovery timeout so that half-opening takes milliseconds. */
class CircuitBreakersTest {

    private static final Duration RECOVERY = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.closeAndAwait();
    }

    @Test
    @DisplayName("A breaker opens after 5 failures in a row, not before")
    void opensAfterFiveFailures() {
        Breaker breaker = breaker();
        for (int i = 0; i < 4; i++) {
            assertThat(fail(breaker)).isInstanceOf(IllegalStateException.class);
        }
        assertThat(breaker.state()).isEqualTo("closed");
        assertThat(breaker.metrics().getLong("failure_count")).isEqualTo(4);

        fail(breaker);

        assertThat(breaker.state()).isEqualTo("open");
        assertThat(breaker.metrics().getString("opened_at")).isNotNull();
    }

    @Test
    @DisplayName("A success clears the failure count: failures must come in a row")
    void successClearsTheCount() {
        Breaker breaker = breaker();
        for (int i = 0; i < 4; i++) {
            fail(breaker);
        }
        assertThat(succeed(breaker)).isEqualTo("ok");
        for (int i = 0; i < 4; i++) {
            fail(breaker);
        }

        assertThat(breaker.state()).isEqualTo("closed");
        assertThat(breaker.metrics().getLong("failure_count")).isEqualTo(4);
    }

    @Test
    @DisplayName("An open breaker rejects calls without running them and counts the rejections")
    void rejectsWhileOpen() {
        Breaker breaker = opened();
        AtomicInteger runs = new AtomicInteger();

        Throwable refused = catchThrowable(() -> breaker.call(() -> {
            runs.incrementAndGet();
            return Uni.createFrom().item("ran");
        }).await().atMost(WAIT));

        assertThat(refused).isInstanceOf(CircuitOpenException.class).hasMessageContaining("'test' is open");
        assertThat(runs).hasValue(0);
        JsonObject metrics = breaker.metrics();
        assertThat(metrics.getLong("rejected_calls")).isEqualTo(1);
        assertThat(metrics.getLong("total_calls")).isEqualTo(6);
    }

    @Test
    @DisplayName("After the recovery timeout the breaker half-opens, and closes after 2 successful trial calls")
    void halfOpensThenClosesAfterTwoSuccesses() {
        Breaker breaker = opened();
        Instant openedAt = Instant.now();

        awaitState(breaker, "half_open");
        assertThat(Duration.between(openedAt, Instant.now())).isGreaterThanOrEqualTo(RECOVERY.minusMillis(50));

        succeed(breaker);
        assertThat(breaker.state()).isEqualTo("half_open");
        assertThat(breaker.metrics().getInteger("success_count")).isEqualTo(1);

        succeed(breaker);
        assertThat(breaker.state()).isEqualTo("closed");
        assertThat(breaker.metrics().getInteger("success_count")).isZero();
        assertThat(breaker.metrics().getLong("failure_count")).isZero();
    }

    @Test
    @DisplayName("A failed trial call reopens the breaker for another recovery timeout")
    void failedTrialReopens() {
        Breaker breaker = opened();
        awaitState(breaker, "half_open");

        fail(breaker);

        assertThat(breaker.state()).isEqualTo("open");
        awaitState(breaker, "half_open");
    }

    @Test
    @DisplayName("A failure after the first successful trial, before the second, reopens the breaker")
    void failureDuringSecondTrialReopens() {
        Breaker breaker = opened();
        awaitState(breaker, "half_open");
        succeed(breaker);

        fail(breaker);

        assertThat(breaker.state()).isEqualTo("open");
        assertThat(breaker.metrics().getInteger("success_count")).isZero();
    }

    @Test
    @DisplayName("While half-open at most 3 trial calls run at a time; a 4th is rejected")
    void halfOpenAdmitsThreeCallsAtATime() {
        Breaker breaker = opened();
        awaitState(breaker, "half_open");
        succeed(breaker);
        List<CompletableFuture<String>> pending = new ArrayList<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            pending.add(answer);
            results.add(breaker.call(() -> Uni.createFrom().completionStage(answer)).subscribeAsCompletionStage());
        }

        assertThat(catchThrowable(() -> succeed(breaker))).isInstanceOf(CircuitOpenException.class)
                .hasMessageContaining("half_open");

        pending.forEach(answer -> answer.complete("late"));
        results.forEach(result -> assertThat(result.join()).isEqualTo("late"));
        assertThat(breaker.state()).isEqualTo("closed");
    }

    @Test
    @DisplayName("A result judged a failure counts against the breaker and is still handed back")
    void judgedFailureIsCountedAndReturned() {
        Breaker breaker = breaker();

        String result = breaker.call(() -> Uni.createFrom().item("partial"),
                item -> new IllegalStateException("detector down")).await().atMost(WAIT);

        assertThat(result).isEqualTo("partial");
        assertThat(breaker.metrics().getLong("failure_count")).isEqualTo(1);
        assertThat(breaker.metrics().getString("last_failure_time")).isNotNull();
    }

    @Test
    @DisplayName("callWhenAllowed holds a call while the breaker is open and runs it once, when it half-opens")
    void callWhenAllowedWaitsInsteadOfFailing() {
        Breaker breaker = opened();
        AtomicInteger runs = new AtomicInteger();
        long started = System.nanoTime();

        String result = breaker.callWhenAllowed(() -> {
            runs.incrementAndGet();
            return Uni.createFrom().item("done");
        }, item -> null).await().atMost(WAIT);

        assertThat(result).isEqualTo("done");
        assertThat(runs).hasValue(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(RECOVERY.minusMillis(100));
        assertThat(breaker.metrics().getLong("rejected_calls")).isZero();
    }

    @Test
    @DisplayName("callWhenAllowed holds a call whose own failure reopened the breaker, and tries it again until the service is back")
    void callWhenAllowedRetriesAFailedTrialAfterRecovery() {
        Breaker breaker = opened();
        AtomicInteger runs = new AtomicInteger();

        String result = breaker.callWhenAllowed(() -> runs.incrementAndGet() <= 2
                ? Uni.createFrom().failure(new IllegalStateException("still down"))
                : Uni.createFrom().item("back"), item -> null).await().atMost(WAIT);

        assertThat(result).isEqualTo("back");
        assertThat(runs).hasValue(3);
        assertThat(breaker.state()).isEqualTo("half_open");
    }

    @Test
    @DisplayName("callWhenAllowed hands back the failure of a call that fails every try, after holding it 3 times")
    void callWhenAllowedGivesUpOnACallThatAlwaysFails() {
        Breaker breaker = opened();
        AtomicInteger runs = new AtomicInteger();

        Throwable failure = catchThrowable(() -> breaker.callWhenAllowed(() -> {
            runs.incrementAndGet();
            return Uni.createFrom().<String>failure(new IllegalStateException("poisonous input"));
        }, item -> null).await().atMost(WAIT));

        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessage("poisonous input");
        assertThat(runs).hasValue(4);
    }

    @Test
    @DisplayName("callWhenAllowed hands back a result judged a failure as its item once it stops holding it")
    void callWhenAllowedReturnsJudgedResultWhileClosed() {
        Breaker breaker = breaker();

        String result = breaker.callWhenAllowed(() -> Uni.createFrom().item("partial"),
                item -> new IllegalStateException("one image refused")).await().atMost(WAIT);

        assertThat(result).isEqualTo("partial");
        assertThat(breaker.state()).isEqualTo("closed");
    }

    @Test
    @DisplayName("Reset puts an open breaker back to closed with no failures counted")
    void resetClosesAnOpenBreaker() {
        Breaker breaker = opened();

        assertThat(breaker.reset()).isEqualTo("open");

        assertThat(breaker.state()).isEqualTo("closed");
        assertThat(breaker.metrics().getLong("failure_count")).isZero();
        assertThat(succeed(breaker)).isEqualTo("ok");
    }

    @Test
    @DisplayName("Metrics have the original's shape; the registry lists detector, llm and notifications with its defaults")
    void metricsShape() {
        CircuitBreakers breakers = CircuitBreakers.withDefaults(vertx);
        fail(breakers.detector());

        JsonObject all = breakers.metrics();

        assertThat(all.fieldNames()).containsExactly("circuit_breakers", "total_count", "open_count", "timestamp");
        assertThat(all.getInteger("total_count")).isEqualTo(3);
        assertThat(all.getInteger("open_count")).isZero();
        JsonObject byName = all.getJsonObject("circuit_breakers");
        assertThat(byName.fieldNames()).containsExactly("detector", "llm", "notifications");
        JsonObject detector = byName.getJsonObject("detector");
        assertThat(detector.fieldNames()).containsExactly("name", "state", "failure_count", "success_count",
                "total_calls", "rejected_calls", "last_failure_time", "last_state_change", "opened_at", "config");
        assertThat(detector.getString("name")).isEqualTo("detector");
        assertThat(detector.getString("state")).isEqualTo("closed");
        assertThat(detector.getLong("failure_count")).isEqualTo(1);
        assertThat(detector.getLong("total_calls")).isEqualTo(1);
        assertThat(Instant.parse(detector.getString("last_failure_time"))).isBeforeOrEqualTo(Instant.now());
        assertThat(detector.getValue("opened_at")).isNull();
        assertThat(detector.getJsonObject("config")).isEqualTo(new JsonObject().put("failure_threshold", 5)
                .put("recovery_timeout", 60.0).put("half_open_max_calls", 3).put("success_threshold", 2));
        assertThat(byName.getJsonObject("llm").getString("state")).isEqualTo("closed");
        assertThat(byName.getJsonObject("llm").getValue("last_failure_time")).isNull();
    }

    private static Breaker breaker() {
        return new CircuitBreakers(vertx, List.of(new BreakerSettings("test", 5, RECOVERY, 3, 2))).get("test");
    }

    private static Breaker opened() {
        Breaker breaker = breaker();
        for (int i = 0; i < 5; i++) {
            fail(breaker);
        }
        assertThat(breaker.state()).isEqualTo("open");
        return breaker;
    }

    private static String succeed(Breaker breaker) {
        return breaker.call(() -> Uni.createFrom().item("ok")).await().atMost(WAIT);
    }

    private static Throwable fail(Breaker breaker) {
        return catchThrowable(() -> breaker.call(() -> Uni.createFrom().<String>failure(
                new IllegalStateException("service down"))).await().atMost(WAIT));
    }

    private static void awaitState(Breaker breaker, String state) {
        Eventually.await(WAIT, "breaker " + state, () -> breaker.state().equals(state));
    }
}
