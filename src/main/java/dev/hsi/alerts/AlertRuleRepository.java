package dev.hsi.alerts;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and writes {@code alert_rules}. */
public final class AlertRuleRepository {

    /** A page of rules and how many match the filter in all. */
    public record Page(List<AlertRule> rules, long total) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(AlertRuleRepository.class);

    private final Pool pool;

    public AlertRuleRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<AlertRule> insert(RuleFields fields) {
        return pool.preparedQuery(AlertRuleSql.INSERT_RULE).execute(params(UUID.randomUUID(), fields))
                .map(rows -> first(rows).orElseThrow());
    }

    public Uni<Optional<AlertRule>> update(UUID id, RuleFields fields) {
        return pool.preparedQuery(AlertRuleSql.UPDATE_RULE).execute(params(id, fields))
                .map(AlertRuleRepository::first);
    }

    public Uni<Optional<AlertRule>> find(UUID id) {
        return pool.preparedQuery(AlertRuleSql.SELECT_RULE).execute(Tuple.of(id)).map(AlertRuleRepository::first);
    }

    public Uni<Boolean> delete(UUID id) {
        return pool.preparedQuery(AlertRuleSql.DELETE_RULE).execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<Page> page(Boolean enabled, String severity, int limit, int offset) {
        Uni<List<AlertRule>> rules = pool.preparedQuery(AlertRuleSql.SELECT_RULES_PAGE)
                .execute(Tuple.of(enabled, severity, limit, offset)).map(AlertRuleRepository::all);
        Uni<Long> total = pool.preparedQuery(AlertRuleSql.COUNT_RULES).execute(Tuple.of(enabled, severity))
                .map(rows -> rows.iterator().next().getLong("total"));
        return Uni.combine().all().unis(rules, total).asTuple().map(t -> new Page(t.getItem1(), t.getItem2()));
    }

    Uni<List<AlertRule>> enabled() {
        return pool.query(AlertRuleSql.SELECT_ENABLED_RULES).execute().map(AlertRuleRepository::all);
    }

    private static Tuple params(UUID id, RuleFields f) {
        return Tuple.tuple().addValue(id).addString(f.name()).addString(f.description()).addBoolean(f.enabled())
                .addString(f.severity().json()).addInteger(f.riskThreshold())
                .addValue(AlertRule.array(f.objectTypes())).addValue(AlertRule.array(f.cameraIds()))
                .addValue(AlertRule.array(f.zoneIds())).addDouble(f.minConfidence())
                .addValue(f.schedule() == null ? null : f.schedule().toJson()).addValue(f.conditions())
                .addString(f.dedupKeyTemplate()).addInteger(f.cooldownSeconds())
                .addValue(new JsonArray(f.channels()));
    }

    private static List<AlertRule> all(RowSet<Row> rows) {
        List<AlertRule> rules = new ArrayList<>(rows.size());
        rows.forEach(row -> rules.add(fromRow(row)));
        return rules;
    }

    private static Optional<AlertRule> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(fromRow(rows.iterator().next()));
    }

    private static AlertRule fromRow(Row row) {
        RuleFields fields = new RuleFields(
                row.getString("name"),
                row.getString("description"),
                row.getBoolean("enabled"),
                Severity.byName(row.getString("severity")),
                row.getInteger("risk_threshold"),
                strings(row.getValue("object_types")),
                strings(row.getValue("camera_ids")),
                strings(row.getValue("zone_ids")),
                row.getDouble("min_confidence"),
                schedule(row.getValue("schedule"), row.getUUID("id")),
                row.getValue("conditions") instanceof JsonObject conditions ? conditions : null,
                row.getString("dedup_key_template"),
                row.getInteger("cooldown_seconds"),
                Optional.ofNullable(strings(row.getValue("channels"))).orElse(List.of()));
        return new AlertRule(row.getUUID("id"), fields, row.getOffsetDateTime("created_at").toInstant(),
                row.getOffsetDateTime("updated_at").toInstant());
    }

    private static List<String> strings(Object value) {
        if (!(value instanceof JsonArray array)) {
            return null;
        }
        List<String> strings = new ArrayList<>(array.size());
        array.forEach(element -> strings.add(String.valueOf(element)));
        return strings;
    }

    /**
     * A stored schedule. The API validates every schedule it writes; one written behind its back that cannot be read
     * is ignored (the rule then applies at all times, as the original treats a schedule it cannot parse), loudly.
     */
    private static Schedule schedule(Object value, UUID ruleId) {
        if (!(value instanceof JsonObject json)) {
            return null;
        }
        try {
            return RuleInput.schedule(json);
        } catch (InvalidRuleException e) {
            LOG.warn("Alert rule {}: its stored schedule {} is ignored ({})", ruleId, json.encode(), e.getMessage());
            return null;
        }
    }
}
