package io.memaudit.common.scoring;

import io.memaudit.common.events.ScoreEvent;

import java.time.Instant;
import java.util.Arrays;

/** The score event (the published, JSON form) of an audit result. */
public final class ScoreEvents {
    private ScoreEvents() { }

    /**
     * @param featureId      the id to publish under (the event's own id for the feature, or the result's)
     * @param deltaFromFirst M_KL minus the run's first scored checkpoint's, or null when unknown
     */
    public static ScoreEvent of(AuditResult r, String featureId, Double deltaFromFirst, String engine, String workerId) {
        double[] c = r.controlMKl();
        return new ScoreEvent(ScoreEvent.SCHEMA_VERSION, r.runId(), r.step(), r.epoch(), featureId, r.probeSet(),
                r.scores().n(), r.scores().mKl(), r.scores().mLabel(), r.scores().mProbMax(), r.scores().mProbArgmax(),
                r.scores().tStatistic(), r.scores().pValueT(), r.scores().pValueWilcoxon(), r.kl().rank(),
                r.kl().controls(), r.controlProbes(), r.kl().exposure(), r.kl().z(), r.label() == null ? null : r.label().rank(),
                Arrays.stream(c).average().orElse(0), Arrays.stream(c).max().orElse(0), r.verdict().wire(),
                r.evidence().statistic().wire(), r.evidence().rank(), r.evidence().p(),
                deltaFromFirst, r.device(), engine, r.totalMillis(), workerId, r.modelSha256(), false,
                Instant.now().toString());
    }
}
