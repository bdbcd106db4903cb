package io.memaudit.worker;

import io.memaudit.common.events.AlertEvent;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.events.ScoreEvent;

/** Observes the worker's outcomes (metrics, the demo's live table, tests). Called on the consumer's event loop. */
public interface WorkerListener {
    default void scored(ScoreEvent score) { }

    default void alerted(AlertEvent alert) { }

    default void deadLettered(ErrorKind kind) { }

    default void failed() { }

    /** The consumer now owns {@code partitions} partitions of the checkpoint topic. */
    default void partitionsAssigned(int partitions) { }

    WorkerListener NONE = new WorkerListener() { };
}
