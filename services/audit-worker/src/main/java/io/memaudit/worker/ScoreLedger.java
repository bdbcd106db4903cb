package io.memaudit.worker;

import io.memaudit.common.events.ScoreEvent;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What has been scored: (runId, step, featureId, model SHA-256) → the first score event published for
 * it, and each (run, feature)'s first score (the baseline of deltaFromFirst). Filled from this worker's
 * own results and from the scores topic (see {@link ScoreTopicReader}), so that a checkpoint
 * re-delivered after a crash or rebalance is recognised and marked as a duplicate instead of producing
 * a second, different result. Thread-safe.
 */
public final class ScoreLedger {
    private final Map<String, ScoreEvent> byCheckpoint = new ConcurrentHashMap<>();
    private final Map<String, ScoreEvent> firstOfRun = new ConcurrentHashMap<>();
    /** (runId, featureId) → step → the first score published for that step: the run's history for the verdict. */
    private final Map<String, NavigableMap<Long, ScoreEvent>> history = new ConcurrentHashMap<>();

    static String key(String runId, long step, String featureId, String sha256) {
        return runId + '\u0000' + step + '\u0000' + featureId + '\u0000' + sha256;
    }

    /** The earlier result for this checkpoint and feature, or null. */
    public ScoreEvent find(String runId, long step, String featureId, String sha256) {
        return byCheckpoint.get(key(runId, step, featureId, sha256));
    }

    /** The score of the run's earliest-step checkpoint seen so far for this feature, or null. */
    public ScoreEvent first(String runId, String featureId) {
        return firstOfRun.get(runId + '\u0000' + featureId);
    }

    /** Records a published (non-duplicate) score; returns false if one was already known for its key. */
    public boolean record(ScoreEvent e) {
        if (e.duplicate()) {
            return false;
        }
        boolean fresh = byCheckpoint.putIfAbsent(key(e.runId(), e.step(), e.featureId(), e.modelSha256()), e) == null;
        firstOfRun.merge(e.runId() + '\u0000' + e.featureId(), e, (a, b) -> b.step() < a.step() ? b : a);
        history.computeIfAbsent(e.runId() + '\u0000' + e.featureId(), k -> new ConcurrentSkipListMap<>())
                .putIfAbsent(e.step(), e);
        return fresh;
    }

    /**
     * Up to {@code n} scores of the run's checkpoints before {@code step} for this feature, the most
     * recent first: the history the verdict confirms with ({@link io.memaudit.common.score.MemorisationRule}).
     * Known from this worker's results and from the scores topic, so a worker that took over the
     * partition, or restarted, decides as the one before it would have.
     */
    public List<ScoreEvent> earlier(String runId, String featureId, long step, int n) {
        NavigableMap<Long, ScoreEvent> h = history.get(runId + '\u0000' + featureId);
        if (h == null || n <= 0) {
            return List.of();
        }
        return h.headMap(step, false).descendingMap().values().stream().limit(n).toList();
    }

    public int size() { return byCheckpoint.size(); }
}
