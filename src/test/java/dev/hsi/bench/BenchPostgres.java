package dev.hsi.bench;

import dev.hsi.infra.EmbeddedPostgresServer;
import dev.hsi.infra.PgEndpoint;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGConnection;

/**
 * The benchmark's PostgreSQL: the project's embedded PostgreSQL 17 in a directory of its own (or a server given by
 * URL), JDBC for set-up and COPY, reactive pools as the server builds them, and a cold restart for cache-cold runs.
 */
final class BenchPostgres implements AutoCloseable {

    private final PgEndpoint endpoint;
    private final EmbeddedPostgresServer embedded;
    private final Path dataDir;

    private BenchPostgres(PgEndpoint endpoint, EmbeddedPostgresServer embedded, Path dataDir) {
        this.endpoint = endpoint;
        this.embedded = embedded;
        this.dataDir = dataDir;
    }

    static BenchPostgres embedded(Path dir) {
        Path dataDir = dir.resolve("postgres");
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir);
        return new BenchPostgres(server.endpoint(), server, dataDir);
    }

    static BenchPostgres external(String url) {
        return new BenchPostgres(PgEndpoint.fromUrl(url), null, null);
    }

    PgEndpoint endpoint() {
        return endpoint;
    }

    boolean canRestart() {
        return embedded != null;
    }

    /** A reactive pool like the server's API pool; {@code searchPath} points the same SQL text at another schema. */
    Pool pool(Vertx vertx, int size, Optional<String> searchPath) {
        PgConnectOptions options = endpoint.connectOptions();
        searchPath.ifPresent(path -> options.addProperty("search_path", path));
        return pool(vertx, size, options);
    }

    /** A pool like the one the server gives the detect stage's writer. */
    Pool writerPool(Vertx vertx, int size) {
        return pool(vertx, size, endpoint.genericPlanConnectOptions());
    }

    private Pool pool(Vertx vertx, int size, PgConnectOptions options) {
        return Pool.newInstance(PgBuilder.pool().with(new PoolOptions().setMaxSize(size))
                .connectingTo(options).using(vertx.getDelegate()).build());
    }

    void sql(String... statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    long number(String sql) {
        return ((Number) rows(sql).get(0).get(0)).longValue();
    }

    List<List<Object>> rows(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<Object> row = new ArrayList<>(columns);
                for (int c = 1; c <= columns; c++) {
                    row.add(result.getObject(c));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Seconds that {@code statements} took, run one after another in one transaction. */
    double timedTransaction(String... statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            long started = System.nanoTime();
            for (String sql : statements) {
                statement.execute(sql);
            }
            connection.commit();
            return (System.nanoTime() - started) / 1e9;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Seconds {@code sql} took on its own (autocommit: VACUUM cannot run in a transaction). */
    double timed(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            long started = System.nanoTime();
            statement.execute(sql);
            return (System.nanoTime() - started) / 1e9;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Seconds PostgreSQL's COPY FROM STDIN took to load {@code text} into {@code table}. */
    double copy(String table, String columns, byte[] text) {
        try (Connection connection = connect()) {
            long started = System.nanoTime();
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " (" + columns + ") FROM STDIN", new ByteArrayInputStream(text), 1 << 16);
            return (System.nanoTime() - started) / 1e9;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("COPY into " + table + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Cache-cold: PostgreSQL restarted (empty shared buffers) and every file of its cluster dropped from the
     * operating system's page cache ({@code dd iflag=nocache} on each file: other programs' cache stays).
     */
    void restartCold() {
        embedded.stop();
        try {
            Process evict = new ProcessBuilder("sh", "-c", "find '" + dataDir + "' -type f -exec dd if={} "
                    + "iflag=nocache count=0 status=none \\;").inheritIO().start();
            if (evict.waitFor() != 0) {
                throw new IllegalStateException("evicting the page cache of " + dataDir + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("evicting the page cache failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        embedded.start();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.user(), endpoint.password());
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
