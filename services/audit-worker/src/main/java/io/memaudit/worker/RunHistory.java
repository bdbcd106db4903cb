package io.memaudit.worker;

import io.memaudit.common.events.ScoreEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scores this worker has seen, per run, for quick looks over HTTP ({@code /api/runs}); the scores
 * topic is the record. Bounded per run; a finished run is forgotten with its metrics. Thread-safe.
 */
final class RunHistory {
    static final int MAX_PER_RUN = 10_000;

    record RunSummary(String runId, int scores, long lastStep, int lastEpoch, double lastMKl, String lastVerdict,
                      String lastScoredAt) { }

    private final Map<String, Deque<ScoreEvent>> runs = new LinkedHashMap<>();

    synchronized void add(ScoreEvent s) {
        Deque<ScoreEvent> d = runs.computeIfAbsent(s.runId(), r -> new ArrayDeque<>());
        d.addLast(s);
        if (d.size() > MAX_PER_RUN) {
            d.removeFirst();
        }
    }

    synchronized List<RunSummary> runs() {
        List<RunSummary> out = new ArrayList<>();
        runs.forEach((id, d) -> {
            ScoreEvent last = d.peekLast();
            out.add(new RunSummary(id, d.size(), last.step(), last.epoch(), last.mKl(), last.verdict(), last.createdAt()));
        });
        return out;
    }

    /** The run's scores in arrival order, or null when the run is unknown. */
    synchronized List<ScoreEvent> scores(String runId) {
        Deque<ScoreEvent> d = runs.get(runId);
        return d == null ? null : List.copyOf(d);
    }

    synchronized void forget(List<String> runIds) {
        runIds.forEach(runs::remove);
    }
}
