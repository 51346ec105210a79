package dev.hsi.alerts;

import java.util.List;

/**
 * How a rule judged an event: whether every condition held, the conditions that did (in the original's wording), and
 * the object type of the first detection that met the rule's detection conditions ("unknown" when there is none),
 * which a dedup key's {@code {object_type}} stands for.
 */
public record RuleMatch(boolean matches, List<String> matchedConditions, String objectType) {

    public RuleMatch {
        matchedConditions = List.copyOf(matchedConditions);
    }

    static RuleMatch none() {
        return new RuleMatch(false, List.of(), "unknown");
    }
}
