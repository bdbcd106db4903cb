package io.memaudit.worker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker's last resort when a record's outcome cannot be published at all — neither its results nor
 * its dead letter, after every retry: its partition stops there, loudly. The partition is paused, its
 * committed offset stays before the record (so a restart, or the next owner after a rebalance, tries it
 * again), {@code memaudit_partition_stalled} is 1 and {@code /ready} answers 503 naming it, and the
 * {@code PartitionStalled} alert pages someone. Nothing moves past an un-done offset silently.
 */
final class StalledPartitions {
    /** Why a partition stopped: the record's offset and the last publish error. */
    record Stall(String topic, int partition, long offset, String reason) { }

    private final Map<String, Stall> stalls = new ConcurrentHashMap<>();
    private final WorkerMetrics metrics;

    StalledPartitions(WorkerMetrics metrics) {
        this.metrics = metrics;
    }

    void stall(String topic, int partition, long offset, String reason) {
        stalls.put(topic + "-" + partition, new Stall(topic, partition, offset, reason));
        metrics.stalled(topic, partition, true);
    }

    /** The partition left this worker (revoked): its next owner starts again at the committed offset. */
    void clear(String topic, int partition) {
        if (stalls.remove(topic + "-" + partition) != null) {
            metrics.stalled(topic, partition, false);
        }
    }

    List<Stall> all() {
        return List.copyOf(stalls.values());
    }
}
