package dev.hsi.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps monthly partitions in place ahead of time, so that rows never pile up in a default partition: the
 * migrations created the months around their own run; every start tops up the current month and the next two.
 */
public final class PartitionKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionKeeper.class);
    private static final List<String> MONTHLY_TABLES = List.of("detections", "events");
    private static final String CREATE_MONTHS_AHEAD = "SELECT hsi_create_monthly_partitions('%s', 2)";

    private PartitionKeeper() {
    }

    /** Blocking (JDBC): run by the composition root before verticles start. */
    public static void ensureMonthsAhead(PgEndpoint endpoint) {
        try (Connection connection = DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.user(), endpoint.password());
                Statement statement = connection.createStatement()) {
            for (String table : MONTHLY_TABLES) {
                try (ResultSet created = statement.executeQuery(String.format(CREATE_MONTHS_AHEAD, table))) {
                    created.next();
                    if (created.getInt(1) > 0) {
                        LOG.info("Created {} monthly partition(s) of {}", created.getInt(1), table);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create partitions ahead: " + e.getMessage(), e);
        }
    }
}
