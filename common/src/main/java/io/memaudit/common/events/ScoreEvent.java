package io.memaudit.common.events;

import io.memaudit.common.score.Evidence;

/**
 * Published to {@code memaudit.scores} (key = runId) for each (checkpoint, feature) scored.
 * (runId, step, featureId) identifies a score; {@code duplicate} marks a re-delivered checkpoint that
 * this worker had already scored (its values are the first result's, not a second computation).
 * {@code controlMKlMean} and {@code controlMKlMax} summarise the K control features' M_KL;
 * {@code controlProbes} is how many of the {@code probes} the controls were scored on (fewer when a
 * sequential audit stopped them early; null in events of memaudit 0.2 and before).
 * {@code evidence}, {@code evidenceRank} and {@code evidenceP} are the rank that decides the verdict
 * ({@link io.memaudit.common.score.MemorisationRule}); null in events of memaudit 0.1.
 */
public record ScoreEvent(int schemaVersion, String runId, long step, int epoch, String featureId, String probeSet,
                         int probes, double mKl, Double mLabel, double mProbMax, int argmaxClass, double tStatistic,
                         double pValue, double pValueWilcoxon, int controlRank, int controls, Integer controlProbes, double exposure,
                         double z, Integer labelControlRank, double controlMKlMean, double controlMKlMax,
                         String verdict, String evidence, Integer evidenceRank, Double evidenceP, Double deltaFromFirst, String device,
                         String engine, double scoringMillis, String workerId, String modelSha256, boolean duplicate,
                         String createdAt) {
    public static final int SCHEMA_VERSION = 1;

    /** A builder with nothing set but the current schema version. */
    public static ScoreEventBuilder builder() {
        return new ScoreEventBuilder();
    }

    /** A builder holding this event's fields. */
    public ScoreEventBuilder toBuilder() {
        return new ScoreEventBuilder(this);
    }

    /** The same event naming its probe set as {@code name} (e.g. the event's {@code dir:} URI rather than a local path). */
    public ScoreEvent withProbeSet(String name) {
        return toBuilder().probeSet(name).build();
    }

    /**
     * The decisive evidence of this score, or null for events published before it existed (or by a
     * producer that does not send it).
     */
    public Evidence evidenceValue() {
        if (evidence == null || evidenceRank == null) {
            return null;
        }
        return new Evidence(Evidence.Statistic.fromWire(evidence), evidenceRank, controls); // both ranks are among the same K
    }

    public ScoreEvent asDuplicate() {
        return toBuilder().duplicate(true).build();
    }
}
