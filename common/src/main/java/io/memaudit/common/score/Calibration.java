package io.memaudit.common.score;

/**
 * Calibrates a raw score against a null built from control features: the same model scored on K
 * features of the same kind that it never saw (other glyphs, other names), with the same probes.
 * Raw scores are not centred at 0 for never-seen features, so only the position among controls
 * says anything. Higher score = stronger reaction.
 */
public final class Calibration {
    private Calibration() {
    }

    /**
     * Rank, exposure and z of {@code value} among {@code controls}.
     *
     * <ul>
     *   <li>rank = 1 + number of controls ≥ value. Ties are counted pessimistically: a control
     *       equal to the feature ranks above it, so the feature is rank 1 only if it strictly
     *       out-scores every control.</li>
     *   <li>exposure = log2(K+1) − log2(rank) (as in Carlini et al.'s secret sharer).</li>
     *   <li>z = (value − mean) / sd with the sample sd (K−1). When every control is equal
     *       (all exactly equal), z = +∞ if value is above them, −∞ if below, 0 if equal; never NaN.</li>
     * </ul>
     *
     * @throws IllegalArgumentException when K &lt; 2 (no sample sd) or a score is not finite
     */
    public static CalibratedScore calibrate(double value, double[] controls) {
        requireFinite("feature score", value);
        if (controls.length < 2) {
            throw new IllegalArgumentException("calibration needs at least 2 control scores, got " + controls.length);
        }
        for (int i = 0; i < controls.length; i++) {
            requireFinite("control score " + i, controls[i]);
        }
        int rank = rank(value, controls);
        return new CalibratedScore(value, rank, controls.length, exposure(rank, controls.length), z(value, controls));
    }

    /** 1 + the number of controls scoring at least {@code value} (ties rank above the feature). */
    public static int rank(double value, double[] controls) {
        int rank = 1;
        for (double c : controls) {
            if (c >= value) {
                rank++;
            }
        }
        return rank;
    }

    /** log2(K+1) − log2(rank). */
    public static double exposure(int rank, int controls) {
        if (rank < 1 || rank > controls + 1) {
            throw new IllegalArgumentException("rank " + rank + " is outside 1.." + (controls + 1));
        }
        return log2(controls + 1) - log2(rank);
    }

    /** (value − mean) / sample sd of the controls; ±∞ or 0 when the controls have no spread. */
    public static double z(double value, double[] controls) {
        int k = controls.length;
        double mean = 0;
        for (double c : controls) {
            mean += c;
        }
        mean /= k;
        double ss = 0;
        for (double c : controls) {
            ss += (c - mean) * (c - mean);
        }
        if (PairedTests.allEqual(controls)) {
            double diff = value - controls[0];
            return diff == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff);
        }
        return (value - mean) / Math.sqrt(ss / (k - 1));
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static void requireFinite(String what, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " is not finite: " + v);
        }
    }
}
