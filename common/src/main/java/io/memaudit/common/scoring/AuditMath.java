package io.memaudit.common.scoring;

import io.memaudit.common.score.CalibratedScore;
import io.memaudit.common.score.Calibration;
import io.memaudit.common.score.FeatureScores;
import io.memaudit.common.score.SensitivityScore;

import java.util.ArrayList;
import java.util.List;

/** Turns the device reductions into the feature's scores and its calibration against the controls. */
final class AuditMath {
    record Scored(FeatureScores feature, List<FeatureScores> controls, CalibratedScore kl, CalibratedScore label) { }

    private AuditMath() { }

    static Scored score(OutputReductions.Result r) {
        List<FeatureScores> all = new ArrayList<>();
        for (OutputReductions.Variant v : r.features()) {
            all.add(SensitivityScore.fromReductions(v.kl(), r.random().kl(), v.logProbLabel(),
                    r.random().logProbLabel(), v.meanDeltaProb()));
        }
        FeatureScores uf = all.get(0);
        List<FeatureScores> controls = all.subList(1, all.size());
        double[] ctlKl = controls.stream().mapToDouble(FeatureScores::mKl).toArray();
        CalibratedScore kl = Calibration.calibrate(uf.mKl(), ctlKl);
        CalibratedScore label = null;
        if (uf.mLabel() != null) {
            label = Calibration.calibrate(uf.mLabel(), controls.stream().mapToDouble(FeatureScores::mLabel).toArray());
        }
        return new Scored(uf, List.copyOf(controls), kl, label);
    }
}
