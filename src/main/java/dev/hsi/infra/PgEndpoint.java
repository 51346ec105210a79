package dev.hsi.infra;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;

/** How to reach PostgreSQL, for both the JDBC driver (Flyway) and the reactive client. */
public record PgEndpoint(String host, int port, String database, String user, String password) {

    /** Accepts the original's {@code postgresql+asyncpg://user:pass@host:5432/db} as well as plain URLs. */
    public static PgEndpoint fromUrl(String url) {
        URI uri = URI.create(url.replaceFirst("^postgres(ql)?(\\+\\w+)?://", "postgresql://"));
        String userInfo = uri.getRawUserInfo() == null ? "postgres" : uri.getUserInfo();
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        String password = colon < 0 ? "" : userInfo.substring(colon + 1);
        String path = uri.getPath() == null || uri.getPath().length() <= 1 ? "/postgres" : uri.getPath();
        return new PgEndpoint(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), path.substring(1), user, password);
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
                .setPipeliningLimit(64);
    }

    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }
}
