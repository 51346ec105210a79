package dev.hsi.alerts;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns one committed event into at most one alert: every enabled rule judges the event at its start time, and of the
 * rules that match, the one with the highest severity wins (ties: by name, then id). The winner's alert is written
 * unless its dedup key is cooling down; the rules that also matched are named in the alert's metadata. Evaluating an
 * event again changes nothing (see {@link AlertRepository#evaluate}).
 */
final class AlertEvaluator {

    /** The alert written for an event, with the event it was written for. */
    record Raised(Alert alert, EventFacts event) {
    }

    private static final Comparator<Judged> PRECEDENCE = Comparator
            .comparing((Judged judged) -> judged.rule().fields().severity()).reversed()
            .thenComparing(judged -> judged.rule().fields().name())
            .thenComparing(judged -> judged.rule().id());

    private record Judged(AlertRule rule, RuleMatch match) {
    }

    private final AlertRuleRepository rules;
    private final AlertRepository alerts;

    AlertEvaluator(AlertRuleRepository rules, AlertRepository alerts) {
        this.rules = rules;
        this.alerts = alerts;
    }

    /** Empty when the event raised no alert (now or in an earlier evaluation), or no longer exists. */
    Uni<Optional<Raised>> evaluate(AlertRepository.EventKey key) {
        return Uni.combine().all().unis(alerts.facts(key), rules.enabled()).asTuple()
                .onItem().transformToUni(found -> {
                    Optional<EventFacts> event = found.getItem1();
                    if (event.isEmpty() || event.get().alertsEvaluated()) {
                        return Uni.createFrom().item(Optional.<Raised>empty());
                    }
                    EventFacts facts = event.get();
                    AlertRepository.Candidate candidate = choose(found.getItem2(), facts).orElse(null);
                    return alerts.evaluate(facts, candidate).map(alert -> alert.map(a -> new Raised(a, facts)));
                });
    }

    static Optional<AlertRepository.Candidate> choose(List<AlertRule> enabled, EventFacts event) {
        List<Judged> matching = new ArrayList<>();
        for (AlertRule rule : enabled) {
            RuleMatch match = RuleMatcher.match(rule.fields(), event, event.startedAt());
            if (match.matches()) {
                matching.add(new Judged(rule, match));
            }
        }
        if (matching.isEmpty()) {
            return Optional.empty();
        }
        matching.sort(PRECEDENCE);
        Judged winner = matching.get(0);
        JsonArray alsoMatched = new JsonArray();
        matching.subList(1, matching.size()).forEach(other -> alsoMatched.add(new JsonObject()
                .put("rule_id", other.rule().id().toString())
                .put("rule_name", other.rule().fields().name())
                .put("severity", other.rule().fields().severity().json())));
        JsonObject metadata = new JsonObject()
                .put("rule_name", winner.rule().fields().name())
                .put("matched_conditions", new JsonArray(winner.match().matchedConditions()))
                .put("object_type", winner.match().objectType())
                .put("also_matched", alsoMatched);
        String dedupKey = RuleMatcher.dedupKey(winner.rule().fields(), winner.rule().id(), event, winner.match());
        return Optional.of(new AlertRepository.Candidate(winner.rule(), dedupKey, metadata));
    }
}
