package dev.hsi.infra;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How to reach PostgreSQL, for both the JDBC driver (Flyway) and the reactive client. */
public record PgEndpoint(String host, int port, String database, String user, String password) {

    /**
     * {@code postgresql://user:password@host:port/database}, also with the original's {@code +asyncpg} driver suffix.
     * Parsed by hand: {@link java.net.URI} refuses host names with underscores, common for container services.
     */
    private static final Pattern URL = Pattern.compile(
            "^postgres(?:ql)?(?:\\+\\w+)?://(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?]+)(?::(\\d+))?(?:/([^?]*))?.*$");

    public static PgEndpoint fromUrl(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL URL: postgresql://user:password@host:5432/db expected");
        }
        String user = m.group(1) == null || m.group(1).isEmpty() ? "postgres" : decode(m.group(1));
        String password = m.group(2) == null ? "" : decode(m.group(2));
        int port = m.group(4) == null ? 5432 : Integer.parseInt(m.group(4));
        String database = m.group(5) == null || m.group(5).isEmpty() ? "postgres" : decode(m.group(5));
        return new PgEndpoint(m.group(3), port, database, user, password);
    }

    /**
     * The longest SQL text the reactive client keeps prepared (its default is 2,048 characters). Every statement here
     * is a constant, so all of them are worth keeping; a longer one would be parsed and planned again at every
     * execution, which made the detect stage's grouped write (about 3,200 characters) three times slower.
     */
    public static final int PREPARED_STATEMENT_SQL_LIMIT = 16_384;

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public PgConnectOptions connectOptions() {
        return new PgConnectOptions()
                .setHost(host)
                .setPort(port)
                .setDatabase(database)
                .setUser(user)
                .setPassword(password)
                .setCachePreparedStatements(true)
                .setPreparedStatementCacheSqlLimit(PREPARED_STATEMENT_SQL_LIMIT)
                .setPipeliningLimit(64);
    }

    /**
     * For a pool whose statements plan well once for all values: each statement is planned once per connection
     * ({@code plan_cache_mode = force_generic_plan}) instead of at every execution. Only for statements whose time
     * bounds are plain comparisons on the partition key, which PostgreSQL then prunes when the executor starts: the
     * detect stage's writes (see docs/performance.md, "Partitioned tables").
     */
    public PgConnectOptions genericPlanConnectOptions() {
        PgConnectOptions options = connectOptions();
        options.addProperty("plan_cache_mode", "force_generic_plan");
        return options;
    }

    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }
}
