package dev.hsi.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import java.time.OffsetDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows of the API's read queries become JSON objects field by field: the queries name their columns as the JSON
 * fields, so there is one mapping for every resource. Timestamps are ISO-8601 in UTC.
 */
final class RowJson {

    private RowJson() {
    }

    static JsonObject object(Row row) {
        JsonObject json = new JsonObject();
        for (int i = 0; i < row.size(); i++) {
            json.put(row.getColumnName(i), value(row.getValue(i)));
        }
        return json;
    }

    static List<JsonObject> objects(RowSet<Row> rows) {
        List<JsonObject> list = new ArrayList<>(rows.size());
        rows.forEach(row -> list.add(object(row)));
        return list;
    }

    private static Object value(Object value) {
        if (value instanceof OffsetDateTime time) {
            return time.toInstant().toString();
        } else if (value instanceof Temporal temporal) {
            return temporal.toString();
        } else if (value instanceof Object[] array) {
            return new JsonArray(Arrays.asList(array));
        }
        return value;
    }
}
