package io.memaudit.worker;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * At-least-once bookkeeping per partition: records finish out of order (different runs score on
 * different devices), but the committed offset only moves past a record once it and every record
 * before it are done. Partitions are identified by a string ("topic-partition"). Not thread-safe.
 */
final class OffsetTracker {
    private final Map<String, TreeMap<Long, Boolean>> pending = new HashMap<>();

    void received(String partition, long offset) {
        pending.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, false);
    }

    /** Marks a record done; returns the next offset to commit for its partition, or -1 if it did not move. */
    long done(String partition, long offset) {
        TreeMap<Long, Boolean> p = pending.get(partition);
        if (p == null || !p.containsKey(offset)) {
            return -1;
        }
        p.put(offset, true);
        long next = -1;
        while (!p.isEmpty() && p.firstEntry().getValue()) {
            next = p.pollFirstEntry().getKey() + 1;
        }
        return next;
    }

    /** Forgets a partition (revoked): its unfinished records will be redelivered to the new owner. */
    void revoke(String partition) {
        pending.remove(partition);
    }

    int unfinished() {
        return pending.values().stream().mapToInt(m -> (int) m.values().stream().filter(d -> !d).count()).sum();
    }
}
