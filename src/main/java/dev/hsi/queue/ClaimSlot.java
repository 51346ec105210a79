package dev.hsi.queue;

import dev.hsi.bus.RedisKeys;

/**
 * Where one consumer claims jobs into: its own processing list, and the heartbeat key that says it still lives.
 * A consumer opens a new slot each time it (re)connects, so a job whose claim reply was lost with a broken
 * connection sits in a slot nobody renews any more, and the reaper moves it back once that slot's heartbeat expires.
 *
 * @param consumerId process instance, consumer loop and connection generation, e.g. {@code 4711-9f3a2c-3-0}
 */
record ClaimSlot(String queue, String consumerId) {

    String processingList() {
        return RedisKeys.processing(queue, consumerId);
    }

    String heartbeat() {
        return RedisKeys.consumerHeartbeat(queue, consumerId);
    }
}
