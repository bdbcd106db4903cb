package io.memaudit.common.scoring;

import io.memaudit.common.feature.ControlFeatures;
import io.memaudit.common.feature.FeatureScale;

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
 * @param scale        integer upsampling of a glyph or text feature (and its controls and random patch);
 *                     null = {@link FeatureScale#defaultFor} the model's input
 * @param controls     K (1..1000), the number of control features the feature is ranked against (glyphs: the font's,
 *                     then random patterns; see {@link ControlFeatures}); the verdict's false-positive floor
 *                     is 1/(K+1)
 */
public record AuditRequest(String featureSpec, String probeSet, int probes, long probeSeed, long patchSeed,
                           List<String> textControls, Integer label, Integer scale, int controls) {
    public static final int DEFAULT_PROBES = 2000;
    public static final long DEFAULT_PROBE_SEED = 1;
    /** Most controls one audit may ask for: each adds N forward passes. */
    public static final int MAX_CONTROLS = 1000;

    public AuditRequest {
        if (probes < 2) {
            throw new IllegalArgumentException("--n = " + probes + ": need at least 2 probe images");
        }
        if (controls < 1 || controls > MAX_CONTROLS) {
            throw new IllegalArgumentException("controls = " + controls + ": must be 1.." + MAX_CONTROLS);
        }
        if (scale != null && (scale < 1 || scale > FeatureScale.MAX)) {
            throw new IllegalArgumentException("scale = " + scale + ": must be 1.." + FeatureScale.MAX);
        }
    }

    /** A request with the default number of controls, {@value ControlFeatures#K}. */
    public AuditRequest(String featureSpec, String probeSet, int probes, long probeSeed, long patchSeed,
                        List<String> textControls, Integer label, Integer scale) {
        this(featureSpec, probeSet, probes, probeSeed, patchSeed, textControls, label, scale, ControlFeatures.K);
    }

    /** The same request with {@code k} controls. */
    public AuditRequest withControls(int k) {
        return new AuditRequest(featureSpec, probeSet, probes, probeSeed, patchSeed, textControls, label, scale, k);
    }

    /** A request with the default feature scale. */
    public AuditRequest(String featureSpec, String probeSet, int probes, long probeSeed, long patchSeed,
                        List<String> textControls, Integer label) {
        this(featureSpec, probeSet, probes, probeSeed, patchSeed, textControls, label, null);
    }
}
