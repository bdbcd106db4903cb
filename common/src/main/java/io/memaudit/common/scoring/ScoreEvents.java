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
        return ScoreEvent.builder()
                .runId(r.runId()).step(r.step()).epoch(r.epoch()).featureId(featureId).probeSet(r.probeSet())
                .probes(r.scores().n()).mKl(r.scores().mKl()).mLabel(r.scores().mLabel())
                .mProbMax(r.scores().mProbMax()).argmaxClass(r.scores().mProbArgmax())
                .tStatistic(r.scores().tStatistic()).pValue(r.scores().pValueT()).pValueWilcoxon(r.scores().pValueWilcoxon())
                .controlRank(r.kl().rank()).controls(r.kl().controls()).controlProbes(r.controlProbes())
                .exposure(r.kl().exposure()).z(r.kl().z()).labelControlRank(r.label() == null ? null : r.label().rank())
                .controlMKlMean(Arrays.stream(c).average().orElse(0)).controlMKlMax(Arrays.stream(c).max().orElse(0))
                .verdict(r.verdict().wire())
                .evidence(r.evidence().statistic().wire()).evidenceRank(r.evidence().rank()).evidenceP(r.evidence().p())
                .deltaFromFirst(deltaFromFirst).device(r.device()).engine(engine).scoringMillis(r.totalMillis())
                .workerId(workerId).modelSha256(r.modelSha256()).createdAt(Instant.now().toString())
                .build();
    }
}
