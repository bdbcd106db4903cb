package io.memaudit.worker;

import io.memaudit.common.events.AlertEvent;
import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.score.Verdict;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Alerts on a run's scores, per (run, feature), in the order checkpoints are scored:
 * <ul>
 *   <li>{@code memorised}: the verdict became memorised (the run-level rule,
 *       {@link io.memaudit.common.score.MemorisationRule}); fires once per streak of memorised
 *       checkpoints. The alert that pages.</li>
 *   <li>{@code threshold}: M_KL crosses the threshold upwards (or the first score is already above it);</li>
 *   <li>{@code rising}: M_KL rose by more than the noise floor over {@code risingCheckpoints} consecutive
 *       checkpoints (a noisy but flat score does not count); fires once per streak;</li>
 *   <li>{@code verdict-change}: the verdict differs from the previous checkpoint's.</li>
 * </ul>
 * Duplicates are ignored. Not thread-safe: call from one context.
 */
public final class TrendDetector {
    private record State(double mKl, String verdict, int streak) { }

    private final double threshold;
    private final int risingCheckpoints;
    private final double minDelta;
    private final boolean verdictChange;
    private final Map<String, State> states = new HashMap<>();

    public TrendDetector(double threshold, int risingCheckpoints, double minDelta, boolean verdictChange) {
        this.threshold = threshold;
        this.risingCheckpoints = risingCheckpoints;
        this.minDelta = minDelta;
        this.verdictChange = verdictChange;
    }

    /** A detector with the worker's defaults (memaudit.trend.* in {@link ConfigKeys}), as a worker runs it unconfigured. */
    public static TrendDetector withWorkerDefaults() {
        return new TrendDetector(Double.parseDouble(ConfigKeys.TREND_THRESHOLD.defaultValue()),
                Integer.parseInt(ConfigKeys.TREND_RISING_CHECKPOINTS.defaultValue()),
                Double.parseDouble(ConfigKeys.TREND_RISING_MIN_DELTA.defaultValue()),
                Boolean.parseBoolean(ConfigKeys.TREND_VERDICT_CHANGE.defaultValue()));
    }

    public List<AlertEvent> onScore(ScoreEvent s) {
        List<AlertEvent> alerts = new ArrayList<>();
        if (s.duplicate()) {
            return alerts;
        }
        String key = s.runId() + '\u0000' + s.featureId();
        State prev = states.get(key);
        boolean above = s.mKl() > threshold;
        if (above && (prev == null || prev.mKl() <= threshold)) {
            alerts.add(alert(s, "threshold", values("mKl", s.mKl(), "threshold", threshold),
                    String.format(Locale.ROOT, "M_KL %.5f of %s in run %s is above %.5f", s.mKl(), s.featureId(), s.runId(), threshold)));
        }
        int streak = prev != null && s.mKl() - prev.mKl() > minDelta ? prev.streak() + 1 : 0;
        if (streak == risingCheckpoints) {
            alerts.add(alert(s, "rising", values("mKl", s.mKl(), "checkpoints", risingCheckpoints, "minDelta", minDelta),
                    String.format(Locale.ROOT, "M_KL of %s in run %s rose over %d consecutive checkpoints to %.5f",
                            s.featureId(), s.runId(), risingCheckpoints, s.mKl())));
        }
        if (Verdict.MEMORISED.wire().equals(s.verdict()) && (prev == null || !prev.verdict().equals(s.verdict()))) {
            alerts.add(alert(s, "memorised", values("evidence", String.valueOf(s.evidence()), "rank", s.evidenceRank(),
                    "controls", s.controls(), "p", s.evidenceP()),
                    String.format(Locale.ROOT, "run %s has memorised %s: %s %s of %d (p %s) at this and the previous audited checkpoint(s)",
                            s.runId(), s.featureId(), s.evidence(), s.evidenceRank(), s.controls() + 1,
                            s.evidenceP() == null ? "?" : String.format(Locale.ROOT, "%.3f", s.evidenceP()))));
        }
        if (verdictChange && prev != null && !prev.verdict().equals(s.verdict())) {
            alerts.add(alert(s, "verdict-change", values("from", prev.verdict(), "to", s.verdict()),
                    "verdict for " + s.featureId() + " in run " + s.runId() + " changed from " + prev.verdict() + " to " + s.verdict()));
        }
        states.put(key, new State(s.mKl(), s.verdict(), streak));
        return alerts;
    }

    private static Map<String, Object> values(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static AlertEvent alert(ScoreEvent s, String kind, Map<String, Object> values, String message) {
        return new AlertEvent(AlertEvent.SCHEMA_VERSION, s.runId(), s.featureId(), s.step(), s.epoch(), kind, values,
                message, Instant.now().toString());
    }
}
