package dev.hsi.alerts;

import dev.hsi.bus.Addresses;
import dev.hsi.bus.AlertChanged;
import dev.hsi.bus.NotificationTestRequested;
import dev.hsi.bus.SecurityEvent;
import dev.hsi.config.NotificationConfig;
import dev.hsi.metrics.Stage;
import dev.hsi.metrics.StageTimings;
import dev.hsi.notify.Notifier;
import dev.hsi.resilience.CircuitBreakers;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.core.AbstractVerticle;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert stage: judges every committed event against the enabled alert rules ({@link AlertEvaluator}), writes at
 * most one alert per event, pushes it to {@code /ws/events} ({@link AlertChanged}) and sends it on its rule's
 * channels ({@link AlertDelivery}). Every event also goes out on MQTT's {@code <prefix>/events} when a broker is set.
 *
 * <p>At least once, and once only: an event is marked evaluated in the transaction that writes its alert. Events the
 * live path missed (the process died between the event's commit and its evaluation, or PostgreSQL was down then)
 * are picked up by a catch-up pass at start and every {@link #CATCH_UP_INTERVAL}, for events committed within the
 * last {@link #CATCH_UP_WINDOW}. Alerts whose delivery did not finish within the last {@link #REDELIVERY_WINDOW} are sent
 * again at start, on the channels they have not reached; receivers see the alert id to drop a duplicate.
 */
public final class AlertVerticle extends AbstractVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(AlertVerticle.class);
    static final Duration CATCH_UP_INTERVAL = Duration.ofSeconds(60);
    static final Duration CATCH_UP_WINDOW = Duration.ofHours(24);
    /** Events younger than this are left to the live path. */
    static final Duration CATCH_UP_GRACE = Duration.ofSeconds(10);
    static final int CATCH_UP_BATCH = 500;
    static final Duration REDELIVERY_WINDOW = Duration.ofHours(1);

    private final NotificationConfig config;
    private final Pool pool;
    private final CircuitBreakers breakers;
    private final StageTimings timings;
    private AlertRepository alerts;
    private AlertEvaluator evaluator;
    private AlertDelivery delivery;
    private Notifier notifier;
    private final OneAtATime evaluations = new OneAtATime();
    private boolean catchingUp;

    public AlertVerticle(NotificationConfig config, Pool pool, CircuitBreakers breakers, StageTimings timings) {
        this.config = config;
        this.pool = pool;
        this.breakers = breakers;
        this.timings = timings;
    }

    @Override
    public Uni<Void> asyncStart() {
        alerts = new AlertRepository(pool);
        evaluator = new AlertEvaluator(new AlertRuleRepository(pool), alerts);
        notifier = new Notifier(vertx, config, (breakers != null ? breakers : CircuitBreakers.withDefaults(vertx))
                .notifications());
        delivery = new AlertDelivery(notifier, alerts);
        vertx.eventBus().<SecurityEvent>consumer(Addresses.EVENT_CREATED).handler(message -> onEvent(message.body()));
        vertx.eventBus().<NotificationTestRequested>consumer(Addresses.NOTIFICATION_TEST).handler(message ->
                notifier.test(message.body()).subscribe().with(message::reply,
                        failure -> message.fail(500, failure.getMessage())));
        vertx.eventBus().consumer(Addresses.NOTIFICATION_SETTINGS).handler(message ->
                message.reply(notifier.settings()));
        vertx.setPeriodic(CATCH_UP_INTERVAL.toMillis(), id -> catchUp());
        return notifier.start().invoke(() -> {
            LOG.info("Alerts: rules judged for every event; channels {}", notifier.settings().availableChannels());
            redeliver();
            catchUp();
        });
    }

    private void onEvent(SecurityEvent event) {
        evaluate(new AlertRepository.EventKey(event.id(), event.startedAt()),
                new LiveTiming(event.batchClosedAt(), Instant.now()));
        notifier.publishEvent(event.toMessage().getJsonObject("data")).subscribe().with(done -> { }, failure -> { });
    }

    /** When a live event's batch closed and when the event reached this stage; catch-up passes are not timed. */
    private record LiveTiming(Instant batchClosedAt, Instant announcedAt) {
    }

    /**
     * Evaluates events one at a time (so two events never race on a cooldown), and delivers each alert as soon as it
     * is written, without holding up the next evaluation.
     *
     * @param timing the live event's times, or null (catch-up)
     */
    private void evaluate(AlertRepository.EventKey key, LiveTiming timing) {
        evaluations.submit("Alert evaluation of event " + key.id(), () -> evaluator.evaluate(key).invoke(raised ->
                raised.ifPresent(written -> {
                    Alert alert = written.alert();
                    LOG.info("Alert {} ({}) for event {} on camera {}: rule '{}'", alert.id(), alert.severity(),
                            alert.eventId(), alert.cameraId(), alert.metadata().getString("rule_name"));
                    announce(alert, AlertChanged.Change.CREATED);
                    deliver(alert, written.event(), timing).subscribe().with(done -> { }, failure ->
                            LOG.warn("Delivery of alert {} failed: {}", alert.id(), failure.getMessage()));
                })).replaceWithVoid());
    }

    private Uni<Void> deliver(Alert alert, EventFacts event, LiveTiming timing) {
        if (alert.undeliveredChannels().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return delivery.deliver(alert, event).invoke(recorded -> {
            Instant delivered = recorded.lastDeliveredAt();
            if (timing != null && recorded.deliveredAt() != null && delivered != null) {
                timings.record(Stage.EVENT_TO_ALERT_DELIVERED, Duration.between(timing.announcedAt(), delivered));
                timings.record(Stage.BATCH_CLOSED_TO_ALERT_DELIVERED,
                        Duration.between(timing.batchClosedAt(), delivered));
            }
            if (recorded.deliveredAt() == null) {
                LOG.warn("Alert {} not delivered on every channel: {}", recorded.id(),
                        recorded.metadata().getJsonObject("delivery"));
            }
            announce(recorded, AlertChanged.Change.UPDATED);
        }).replaceWithVoid();
    }

    /** Queues the events the live path did not evaluate, oldest first; never two passes at once. */
    private void catchUp() {
        if (catchingUp) {
            return;
        }
        catchingUp = true;
        alerts.unevaluated(CATCH_UP_WINDOW, CATCH_UP_GRACE, CATCH_UP_BATCH).subscribe().with(keys -> {
            catchingUp = false;
            if (!keys.isEmpty()) {
                LOG.info("Alert catch-up: evaluating {} event(s) the live path missed", keys.size());
            }
            keys.forEach(key -> evaluate(key, null));
        }, failure -> {
            catchingUp = false;
            LOG.warn("Alert catch-up pass failed ({}); next try in {} s", failure.getMessage(),
                    CATCH_UP_INTERVAL.toSeconds());
        });
    }

    /** At start: alerts whose delivery did not finish are sent again on the channels they have not reached. */
    private void redeliver() {
        alerts.pendingDeliveries(REDELIVERY_WINDOW)
                .onItem().transformToUni(pending -> {
                    if (!pending.isEmpty()) {
                        LOG.info("Sending {} undelivered alert(s) again", pending.size());
                    }
                    return Multi.createFrom().iterable(pending)
                            .onItem().transformToUniAndConcatenate(this::redeliver)
                            .collect().asList();
                })
                .subscribe().with(done -> { }, failure -> LOG.warn("Redelivery of pending alerts failed: {}",
                        failure.getMessage()));
    }

    private Uni<Void> redeliver(Alert alert) {
        return alerts.facts(new AlertRepository.EventKey(alert.eventId(), alert.eventStartedAt()))
                .onItem().transformToUni(event -> event.isEmpty() ? Uni.createFrom().voidItem()
                        : deliver(alert, event.get(), null))
                .onFailure().invoke(failure -> LOG.warn("Redelivery of alert {} failed: {}", alert.id(),
                        failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    private void announce(Alert alert, AlertChanged.Change change) {
        vertx.eventBus().publish(Addresses.ALERT_CHANGED, alert.changed(change));
    }

    @Override
    public Uni<Void> asyncStop() {
        return notifier == null ? Uni.createFrom().voidItem() : notifier.stop();
    }
}
