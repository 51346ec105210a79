package dev.hsi.api;

import dev.hsi.bus.RedisKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The dead-letter lists {@code dlq:<queue>} that {@link dev.hsi.queue.WorkQueue} fills: counting, listing,
 * moving entries' original jobs back to their source queue, clearing. Queue arguments are source queue names
 * ({@code detection_queue}, {@code analysis_queue}).
 *
 * <p>Requeueing never loses a job: the entries at the head of the DLQ are read, their original jobs are taken out
 * here in Java (so the job's JSON is passed on exactly as Vert.x wrote it, which Redis' Lua {@code cjson} would not
 * guarantee for numbers and empty arrays), and one Lua script then pops each entry and pushes its job in a single
 * atomic step, but only while the DLQ's head is still the entry that was read and the source queue holds fewer than
 * {@code QUEUE_MAX_SIZE} waiting jobs. A crash or a concurrent change either moves an entry whole or leaves it where
 * it was; a full queue stops the requeue, and the rest stays in the DLQ.
 */
final class DlqRepository {

    /** Entries read and moved per script run while requeueing. */
    private static final int BATCH = 100;
    /**
     * Rounds in a row in which another client changed the DLQ's head first, after which requeueing stops. Each such
     * round means another client popped entries, so this only bounds a DLQ whose head cannot be matched (an entry
     * that is not valid UTF-8).
     */
    private static final int MAX_CONFLICTS = 16;

    /**
     * KEYS[1] the DLQ, KEYS[2] the source queue; ARGV[1] the queue's maximum depth, then pairs (entry, job). While the
     * queue has room and the DLQ's head equals the next expected entry: pop it and push its job. Returns {how many
     * pairs were moved, 1 if it stopped because the queue was full}.
     */
    private static final String MOVE_HEADS = """
            local moved = 0
            local limit = tonumber(ARGV[1])
            for i = 2, #ARGV, 2 do
              if redis.call('LLEN', KEYS[2]) >= limit then return {moved, 1} end
              if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[i] then break end
              redis.call('LPOP', KEYS[1])
              redis.call('RPUSH', KEYS[2], ARGV[i + 1])
              moved = moved + 1
            end
            return {moved, 0}
            """;

    /** KEYS[1] the DLQ: deletes it and returns how many entries it held. */
    private static final String CLEAR = """
            local size = redis.call('LLEN', KEYS[1])
            redis.call('DEL', KEYS[1])
            return size
            """;

    private final RedisAPI redis;
    private final int maxQueueSize;

    /** @param maxQueueSize {@code QUEUE_MAX_SIZE}: requeueing stops when the source queue holds this many jobs */
    DlqRepository(RedisAPI redis, int maxQueueSize) {
        this.redis = redis;
        this.maxQueueSize = maxQueueSize;
    }

    /**
     * The outcome of moving entries back: the original jobs moved, oldest first; the entry without an
     * {@code original_job} that stopped it, or null; whether it stopped because other clients kept changing the
     * DLQ's head first; whether it stopped because the source queue was full.
     */
    record Moved(List<Object> jobs, String malformedEntry, boolean contended, boolean queueFull) {
    }

    int maxQueueSize() {
        return maxQueueSize;
    }

    Uni<Long> size(String queue) {
        return redis.llen(RedisKeys.deadLetter(queue)).map(Response::toLong);
    }

    /** The entries from index {@code start}, oldest first, as JSON objects (a raw string if one is not JSON). */
    Uni<JsonArray> entries(String queue, int start, int limit) {
        return redis.lrange(RedisKeys.deadLetter(queue), String.valueOf(start), String.valueOf(start + limit - 1L))
                .map(range -> {
                    JsonArray entries = new JsonArray();
                    for (String entry : strings(range)) {
                        entries.add(parseObject(entry) instanceof JsonObject object ? object : entry);
                    }
                    return entries;
                });
    }

    /**
     * Moves the original jobs of up to {@code max} of the oldest entries to the end of {@code queue}, in order.
     * Stops early when the DLQ runs empty, when its oldest entry holds no {@code original_job} (that entry stays),
     * when the queue is full, or when other clients changed the DLQ's head before every one of
     * {@link #MAX_CONFLICTS} attempts in a row.
     */
    Uni<Moved> requeue(String queue, int max) {
        return requeueFrom(queue, max, new ArrayList<>(), 0);
    }

    private Uni<Moved> requeueFrom(String queue, int max, List<Object> moved, int conflicts) {
        int wanted = Math.min(BATCH, max - moved.size());
        if (wanted <= 0) {
            return Uni.createFrom().item(new Moved(moved, null, false, false));
        }
        String dlq = RedisKeys.deadLetter(queue);
        return redis.lrange(dlq, "0", String.valueOf(wanted - 1)).flatMap(head -> {
            List<String> args = new ArrayList<>(List.of(MOVE_HEADS, "2", dlq, queue, String.valueOf(maxQueueSize)));
            List<Object> jobs = new ArrayList<>();
            for (String entry : strings(head)) {
                Object job = originalJob(entry);
                if (job == null) {
                    if (jobs.isEmpty()) {
                        return Uni.createFrom().item(new Moved(moved, entry, false, false));
                    }
                    break;
                }
                args.add(entry);
                args.add(encode(job));
                jobs.add(job);
            }
            if (jobs.isEmpty()) {
                return Uni.createFrom().item(new Moved(moved, null, false, false));
            }
            return redis.eval(args).flatMap(result -> {
                int count = result.get(0).toInteger();
                moved.addAll(jobs.subList(0, count));
                if (result.get(1).toInteger() == 1) {
                    return Uni.createFrom().item(new Moved(moved, null, false, true));
                }
                if (count > 0) {
                    return requeueFrom(queue, max, moved, 0);
                }
                if (conflicts + 1 >= MAX_CONFLICTS) {
                    return Uni.createFrom().item(new Moved(moved, null, true, false));
                }
                return requeueFrom(queue, max, moved, conflicts + 1);
            });
        });
    }

    /** Empties the DLQ; the number of entries it held. */
    Uni<Long> clear(String queue) {
        return redis.eval(List.of(CLEAR, "1", RedisKeys.deadLetter(queue))).map(Response::toLong);
    }

    /** The entry's {@code original_job}: a JSON value, or the raw text of a job that was not JSON; null if none. */
    private static Object originalJob(String entry) {
        return parseObject(entry) instanceof JsonObject object ? object.getValue("original_job") : null;
    }

    /** The job as it goes on the queue: a raw job as it was, a JSON job encoded compactly as WorkQueue does. */
    private static String encode(Object job) {
        if (job instanceof String raw) {
            return raw;
        }
        if (job instanceof JsonObject object) {
            return object.encode();
        }
        if (job instanceof JsonArray array) {
            return array.encode();
        }
        return String.valueOf(job);
    }

    private static Object parseObject(String text) {
        try {
            return new JsonObject(text);
        } catch (RuntimeException notAnObject) {
            return null;
        }
    }

    private static List<String> strings(Response array) {
        List<String> strings = new ArrayList<>();
        if (array != null) {
            for (Response item : array) {
                strings.add(item.toString());
            }
        }
        return strings;
    }
}
