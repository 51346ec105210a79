package dev.hsi.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps partitions in place ahead of time, so that rows do not pile up in a default partition: for every
 * {@link PartitionedTable}, the period holding now and everything up to the end of the {@value #MONTHS_AHEAD}nd
 * month after the current one. Rows that landed in a table's default partition (written while a partition was
 * missing) move into the partition created for their range. Run at start and daily; the time comes from the clock,
 * so tests can move it.
 */
public final class PartitionKeeper {

    public static final int MONTHS_AHEAD = 2;
    private static final Logger LOG = LoggerFactory.getLogger(PartitionKeeper.class);

    /** A partition created now, and how many rows moved into it from the default partition. */
    public record Created(PartitionRange range, long movedRows) {
    }

    private final PgEndpoint endpoint;
    private final Clock clock;

    public PartitionKeeper(PgEndpoint endpoint, Clock clock) {
        this.endpoint = endpoint;
        this.clock = clock;
    }

    /**
     * Blocking (JDBC): run by the composition root before verticles start, and on a worker thread afterwards.
     * Each partition is created in a transaction of its own; one that fails is logged and the others still go on.
     *
     * @return the partitions created now
     * @throws IllegalStateException when PostgreSQL cannot be reached at all
     */
    public List<Created> ensureAhead() {
        Instant now = clock.instant();
        List<Created> created = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.user(), endpoint.password());
                PreparedStatement create = connection.prepareStatement(PartitionSql.CREATE_PARTITION)) {
            for (PartitionedTable table : PartitionedTable.values()) {
                for (PartitionRange range : table.rangesAhead(now, MONTHS_AHEAD)) {
                    try {
                        createIfMissing(create, range).ifPresent(created::add);
                    } catch (SQLException e) {
                        LOG.error("Cannot create partition {} (its rows go to the default partition meanwhile): {}",
                                range, e.getMessage());
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create partitions ahead: " + e.getMessage(), e);
        }
        return created;
    }

    private static Optional<Created> createIfMissing(PreparedStatement create, PartitionRange range)
            throws SQLException {
        create.setString(1, range.table());
        create.setString(2, range.name());
        create.setObject(3, range.from().atOffset(ZoneOffset.UTC));
        create.setObject(4, range.to().atOffset(ZoneOffset.UTC));
        try (ResultSet result = create.executeQuery()) {
            result.next();
            long moved = result.getLong(1);
            if (result.wasNull()) {
                return Optional.empty();
            }
            if (moved > 0) {
                LOG.info("Created partition {} and moved {} row(s) of its range out of {}_default", range, moved,
                        range.table());
            } else {
                LOG.info("Created partition {}", range);
            }
            return Optional.of(new Created(range, moved));
        }
    }
}
