package io.memaudit.worker;

import io.memaudit.common.events.DeadLetter;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The records already on the dead-letter topic, by their coordinates (topic, partition, offset). A
 * worker killed after publishing a dead letter and before committing its offset leaves the record to
 * be delivered again; with this ledger the redelivery is recognised and committed without a second
 * dead letter, as the score ledger does for scores. Thread-safe.
 */
final class DeadLetterLedger {
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** @return true when these coordinates were not known yet */
    boolean record(DeadLetter.Original original) {
        return original.topic() != null && record(original.topic(), original.partition(), original.offset());
    }

    boolean record(String topic, int partition, long offset) {
        return seen.add(key(topic, partition, offset));
    }

    boolean contains(String topic, int partition, long offset) {
        return seen.contains(key(topic, partition, offset));
    }

    private static String key(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }
}
