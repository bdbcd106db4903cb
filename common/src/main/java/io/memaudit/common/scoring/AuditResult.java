package io.memaudit.common.scoring;

import io.memaudit.common.score.CalibratedScore;
import io.memaudit.common.score.Evidence;
import io.memaudit.common.score.FeatureScores;
import io.memaudit.common.score.MemorisationRule;
import io.memaudit.common.score.Verdict;

import java.util.List;

/**
 * The audit of one checkpoint for one feature.
 *
 * @param runId          run of the checkpoint
 * @param epoch          epoch of the checkpoint
 * @param step           optimiser step of the checkpoint
 * @param featureId      the audited feature
 * @param probeSet       probe-set preset used
 * @param scores         M_KL, M_label, max M_prob, paired tests of the feature
 * @param kl             M_KL calibrated against the controls (rank, exposure, z)
 * @param label          M_label calibrated against the controls, or null when the label is unknown
 * @param evidence       the rank that decides: M_label's when the label is known, else M_KL's
 * @param verdict        memorised / not-memorised / inconclusive ({@link MemorisationRule}); from this
 *                       checkpoint alone (never memorised when the rule needs confirmations) until
 *                       {@link #confirmedBy} gives it the run's earlier checkpoints
 * @param controlIds     ids of the control features, in order
 * @param controlMKl     M_KL of each control feature
 * @param controlProbes  probes the controls were scored on: N, or fewer when a sequential audit stopped early
 *                       (the ranks, exposure and z then compare the feature and its controls on those probes;
 *                       the feature's own scores always cover all N)
 * @param modelSha256    SHA-256 of the parameters scored
 * @param device         device the forward passes ran on
 * @param loadMillis     parameter (re)load time
 * @param probeMillis    time to build probe batches (0 when cached)
 * @param forwardMillis  forward passes + device reductions
 * @param totalMillis    everything for this checkpoint
 */
public record AuditResult(String runId, int epoch, long step, String featureId, String probeSet,
                          FeatureScores scores, CalibratedScore kl, CalibratedScore label, Evidence evidence, Verdict verdict,
                          List<String> controlIds, double[] controlMKl, int controlProbes, String modelSha256, String device,
                          double loadMillis, double probeMillis, double forwardMillis, double totalMillis) {

    /**
     * This result with the verdict of {@code rule} given the run's earlier checkpoints.
     *
     * @param earlier the evidence of the run's previous audited checkpoints for this feature, most
     *                recent first (null entries: unknown)
     */
    public AuditResult confirmedBy(MemorisationRule rule, List<Evidence> earlier) {
        return withVerdict(rule.decide(evidence, earlier));
    }

    public AuditResult withVerdict(Verdict v) {
        return new AuditResult(runId, epoch, step, featureId, probeSet, scores, kl, label, evidence, v, controlIds,
                controlMKl, controlProbes, modelSha256, device, loadMillis, probeMillis, forwardMillis, totalMillis);
    }
}
