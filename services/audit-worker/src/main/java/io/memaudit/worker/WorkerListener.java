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

    /** The Kafka consumer failed: a poll, or an offset commit ({@code commit} true; its records will be redelivered). */
    default void consumerError(Throwable error, boolean commit) { }

    WorkerListener NONE = new WorkerListener() { };

    /** Calls each listener in turn. */
    static WorkerListener all(WorkerListener... listeners) {
        java.util.List<WorkerListener> ls = java.util.List.of(listeners);
        return new WorkerListener() {
            @Override
            public void scored(ScoreEvent score) { ls.forEach(l -> l.scored(score)); }

            @Override
            public void alerted(AlertEvent alert) { ls.forEach(l -> l.alerted(alert)); }

            @Override
            public void deadLettered(ErrorKind kind) { ls.forEach(l -> l.deadLettered(kind)); }

            @Override
            public void failed() { ls.forEach(WorkerListener::failed); }

            @Override
            public void partitionsAssigned(int partitions) { ls.forEach(l -> l.partitionsAssigned(partitions)); }

            @Override
            public void consumerError(Throwable error, boolean commit) { ls.forEach(l -> l.consumerError(error, commit)); }
        };
    }
}
