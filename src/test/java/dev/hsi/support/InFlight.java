package dev.hsi.support;

import dev.hsi.bus.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * The jobs of a queue that consumers have claimed and not finished: in every consumer's processing list
 * ({@code <queue>:processing:<consumer>}) and in the single list of earlier versions. Found by key pattern, so lists
 * of unregistered or dead consumers count too.
 */
public final class InFlight {

    private InFlight() {
    }

    public static List<String> jobs(Jedis redis, String queue) {
        List<String> jobs = new ArrayList<>(redis.lrange(RedisKeys.legacyProcessing(queue), 0, -1));
        for (String list : redis.keys(RedisKeys.processing(queue, "*"))) {
            jobs.addAll(redis.lrange(list, 0, -1));
        }
        return jobs;
    }

    public static long count(Jedis redis, String queue) {
        return jobs(redis, queue).size();
    }
}
