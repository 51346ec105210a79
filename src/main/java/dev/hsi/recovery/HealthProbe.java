package dev.hsi.recovery;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Which of the services HSI depends on do not answer right now: {@code database}, {@code redis}. */
public final class HealthProbe {

    public static final String DATABASE = "database";
    public static final String REDIS = "redis";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Pool pool;
    private final RedisAPI redis;

    public HealthProbe(Pool pool, RedisAPI redis) {
        this.pool = pool;
        this.redis = redis;
    }

    /** The services that are down; empty when all answer. Never fails. */
    public Uni<Set<String>> down() {
        Uni<Boolean> database = pool.query("SELECT 1").execute().map(rows -> true);
        Uni<Boolean> cache = redis.ping(List.of()).map(pong -> true);
        return Uni.combine().all().unis(answers(database), answers(cache)).asTuple().map(up -> {
            Set<String> down = new TreeSet<>();
            if (!up.getItem1()) {
                down.add(DATABASE);
            }
            if (!up.getItem2()) {
                down.add(REDIS);
            }
            return down;
        });
    }

    private static Uni<Boolean> answers(Uni<Boolean> call) {
        return call.ifNoItem().after(TIMEOUT).fail().onFailure().recoverWithItem(false);
    }
}
