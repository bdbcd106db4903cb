package io.memaudit.common.scoring;

import io.memaudit.common.score.CalibratedScore;
import io.memaudit.common.score.Calibration;
import io.memaudit.common.score.ControlScore;
import io.memaudit.common.score.FeatureScores;
import io.memaudit.common.score.SensitivityScore;

import java.util.ArrayList;
import java.util.List;

/** Turns the device reductions into the feature's scores and its calibration against the controls. */
final class AuditMath {
    record Scored(FeatureScores feature, List<ControlScore> controls, CalibratedScore kl, CalibratedScore label) { }

    private AuditMath() { }

    /**
     * The feature's scores over all its probes; each control's, and the calibration, over the probes
     * the controls saw ({@link OutputReductions.Result#controlProbes}): when a sequential audit stopped
     * early, the feature is ranked on those same probes, as the stop rule compared them.
     */
    static Scored score(OutputReductions.Result r) {
        int n = r.controlProbes();
        OutputReductions.Variant random = r.random();
        OutputReductions.Variant feature = r.features().get(0);
        FeatureScores uf = scores(feature, random);
        FeatureScores ranked = n == feature.kl().length ? uf : scores(truncate(feature, n), truncate(random, n));
        List<ControlScore> controls = new ArrayList<>();
        OutputReductions.Variant randomSeen = n == random.kl().length ? random : truncate(random, n);
        for (OutputReductions.Variant v : r.features().subList(1, r.features().size())) {
            controls.add(SensitivityScore.controlFromReductions(v.kl(), randomSeen.kl(), v.logProbLabel(),
                    randomSeen.logProbLabel(), v.meanDeltaProb()));
        }
        double[] ctlKl = controls.stream().mapToDouble(ControlScore::mKl).toArray();
        CalibratedScore kl = Calibration.calibrate(ranked.mKl(), ctlKl);
        CalibratedScore label = null;
        if (uf.mLabel() != null) {
            label = Calibration.calibrate(ranked.mLabel(), controls.stream().mapToDouble(ControlScore::mLabel).toArray());
        }
        return new Scored(uf, List.copyOf(controls), kl, label);
    }

    private static FeatureScores scores(OutputReductions.Variant v, OutputReductions.Variant random) {
        return SensitivityScore.fromReductions(v.kl(), random.kl(), v.logProbLabel(), random.logProbLabel(), v.meanDeltaProb());
    }

    /** The first n probes of a variant (its mean class shift kept: only the ranks use the truncated variant). */
    private static OutputReductions.Variant truncate(OutputReductions.Variant v, int n) {
        return new OutputReductions.Variant(java.util.Arrays.copyOf(v.kl(), n),
                v.logProbLabel() == null ? null : java.util.Arrays.copyOf(v.logProbLabel(), n), v.meanDeltaProb());
    }
}
