package dev.hsi.support;

import dev.hsi.infra.EmbeddedPostgresServer;
import dev.hsi.infra.Migrations;
import dev.hsi.infra.PgEndpoint;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.nio.file.Path;

/** A real PostgreSQL 17 with every migration applied, and a reactive pool built as the server builds its own. */
public final class MigratedPostgres implements AutoCloseable {

    private final EmbeddedPostgresServer postgres;
    private final Vertx vertx;
    private final Pool pool;

    private MigratedPostgres(EmbeddedPostgresServer postgres, Vertx vertx, Pool pool) {
        this.postgres = postgres;
        this.vertx = vertx;
        this.pool = pool;
    }

    /** Blocking. */
    public static MigratedPostgres start(Path dir, Vertx vertx) {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir);
        Migrations.migrate(postgres.endpoint());
        Pool pool = Pool.newInstance(PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(4))
                .connectingTo(postgres.endpoint().connectOptions())
                .using(vertx.getDelegate())
                .build());
        return new MigratedPostgres(postgres, vertx, pool);
    }

    public Pool pool() {
        return pool;
    }

    public PgEndpoint endpoint() {
        return postgres.endpoint();
    }

    public Db db() {
        return new Db(postgres.endpoint());
    }

    public Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        pool.closeAndAwait();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new IllegalStateException("Stopping the embedded PostgreSQL failed: " + e.getMessage(), e);
        }
    }
}
