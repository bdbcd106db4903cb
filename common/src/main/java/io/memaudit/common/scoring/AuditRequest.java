package io.memaudit.common.scoring;

import java.util.List;

/**
 * What to audit in a checkpoint.
 *
 * @param featureSpec  the unique feature (FeatureSpec syntax), e.g. "glyph:A"
 * @param probeSet     probe-set preset, e.g. "cifar10-gray-28"; null = the default for the model's input shape
 * @param probes       N, the number of probe images
 * @param probeSeed    seed that picks the probe images
 * @param patchSeed    seed of the random control patches (fixed across checkpoints)
 * @param textControls names used as control features for a text feature (null = the default list)
 * @param label        the feature's training label if the auditor knows it; null = use the checkpoint's
 *                     metadata when it names the same feature, else unknown
 */
public record AuditRequest(String featureSpec, String probeSet, int probes, long probeSeed, long patchSeed,
                           List<String> textControls, Integer label) {
    public static final int DEFAULT_PROBES = 2000;
    public static final long DEFAULT_PROBE_SEED = 1;

    public AuditRequest {
        if (probes < 2) {
            throw new IllegalArgumentException("--n = " + probes + ": need at least 2 probe images");
        }
    }
}
