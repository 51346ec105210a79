package dev.hsi.metrics;

import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.mutiny.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Named numeric metrics with one label each, rendered in the Prometheus text format for {@code GET /api/metrics}.
 * One per Vert.x instance, kept in its local shared data (like {@code queue.QueueBoard}), so that whoever measures
 * and the API need not be wired to each other. Thread-safe.
 */
public final class Gauges implements Shareable {

    private static final String MAP = "hsi.gauges";

    /** How a metric behaves, as Prometheus names it. */
    public enum Type {
        GAUGE, COUNTER
    }

    private record Family(String help, Type type, String label, Map<String, Double> values) {
    }

    private final Map<String, Family> families = new ConcurrentSkipListMap<>();

    private Gauges() {
    }

    public static Gauges of(Vertx vertx) {
        LocalMap<String, Gauges> map = vertx.getDelegate().sharedData().getLocalMap(MAP);
        Gauges created = new Gauges();
        Gauges existing = map.putIfAbsent(MAP, created);
        return existing == null ? created : existing;
    }

    /** Sets the value of {@code name{label="labelValue"}}. */
    public void set(String name, String help, String label, String labelValue, double value) {
        family(name, help, Type.GAUGE, label).values().put(labelValue, value);
    }

    /** Adds to the counter {@code name{label="labelValue"}}. */
    public void add(String name, String help, String label, String labelValue, double amount) {
        family(name, help, Type.COUNTER, label).values().merge(labelValue, amount, Double::sum);
    }

    /** The current value, or NaN when it was never set. */
    public double value(String name, String labelValue) {
        Family family = families.get(name);
        Double value = family == null ? null : family.values().get(labelValue);
        return value == null ? Double.NaN : value;
    }

    /** The Prometheus text exposition format (version 0.0.4) of every metric. */
    public String exposition() {
        StringBuilder text = new StringBuilder();
        families.forEach((name, family) -> {
            text.append("# HELP ").append(name).append(' ').append(family.help()).append('\n');
            text.append("# TYPE ").append(name).append(' ').append(family.type().name().toLowerCase()).append('\n');
            new ConcurrentSkipListMap<>(family.values()).forEach((labelValue, value) -> text.append(name)
                    .append('{').append(family.label()).append("=\"").append(escape(labelValue)).append("\"} ")
                    .append(format(value)).append('\n'));
        });
        return text.toString();
    }

    private Family family(String name, String help, Type type, String label) {
        return families.computeIfAbsent(name, n -> new Family(help, type, label, new ConcurrentHashMap<>()));
    }

    private static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(double value) {
        return value == Math.rint(value) && !Double.isInfinite(value) ? String.valueOf((long) value)
                : String.valueOf(value);
    }
}
