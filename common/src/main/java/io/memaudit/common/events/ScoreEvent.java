package io.memaudit.common.events;

/**
 * Published to {@code memaudit.scores} (key = runId) for each (checkpoint, feature) scored.
 * (runId, step, featureId) identifies a score; {@code duplicate} marks a re-delivered checkpoint that
 * this worker had already scored (its values are the first result's, not a second computation).
 * {@code controlMKlMean} and {@code controlMKlMax} summarise the K control features' M_KL.
 */
public record ScoreEvent(int schemaVersion, String runId, long step, int epoch, String featureId, String probeSet,
                         int probes, double mKl, Double mLabel, double mProbMax, int argmaxClass, double tStatistic,
                         double pValue, double pValueWilcoxon, int controlRank, int controls, double exposure,
                         double z, Integer labelControlRank, double controlMKlMean, double controlMKlMax,
                         String verdict, Double deltaFromFirst, String device,
                         String engine, double scoringMillis, String workerId, String modelSha256, boolean duplicate,
                         String createdAt) {
    public static final int SCHEMA_VERSION = 1;

    /** The same event naming its probe set as {@code name} (e.g. the event's {@code dir:} URI rather than a local path). */
    public ScoreEvent withProbeSet(String name) {
        return new ScoreEvent(schemaVersion, runId, step, epoch, featureId, name, probes, mKl, mLabel, mProbMax,
                argmaxClass, tStatistic, pValue, pValueWilcoxon, controlRank, controls, exposure, z, labelControlRank,
                controlMKlMean, controlMKlMax, verdict, deltaFromFirst, device, engine, scoringMillis, workerId, modelSha256, duplicate,
                createdAt);
    }

    public ScoreEvent asDuplicate() {
        return new ScoreEvent(schemaVersion, runId, step, epoch, featureId, probeSet, probes, mKl, mLabel, mProbMax,
                argmaxClass, tStatistic, pValue, pValueWilcoxon, controlRank, controls, exposure, z, labelControlRank,
                controlMKlMean, controlMKlMax, verdict, deltaFromFirst, device, engine, scoringMillis, workerId, modelSha256, true, createdAt);
    }
}
