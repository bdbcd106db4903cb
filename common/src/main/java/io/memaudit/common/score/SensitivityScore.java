package io.memaudit.common.score;

/**
 * The scores of one feature on one model: how much inserting the feature moves the model's
 * outputs on out-of-distribution probes, compared with a random control patch.
 *
 * <p>For probe image i: p_i = clean output, q_i = output with the feature, r_i = output with the
 * control patch (all softmax vectors over the same K classes).
 * <ul>
 *   <li>M_KL = mean_i KL(p_i‖q_i) − mean_i KL(p_i‖r_i) ({@link Divergences#kl}, clipped)</li>
 *   <li>M_label = mean_i log q_i[y] − mean_i log r_i[y], probabilities clipped at 1e-7</li>
 *   <li>M_prob(c) = mean_i (q_i[c] − p_i[c]); reported as its maximum over c and the argmax</li>
 *   <li>paired one-sided t and Wilcoxon tests over d_i = KL(p_i‖q_i) − KL(p_i‖r_i)</li>
 * </ul>
 * Two entry points: from full probability vectors, or from per-image reductions a device-side
 * caller has already computed (so only N-length vectors leave the device).
 */
public final class SensitivityScore {
    private SensitivityScore() {
    }

    /**
     * Scores from probability matrices, one row per probe image.
     *
     * @param label the feature's training label y, or null when unknown (M_label is then null)
     */
    public static FeatureScores fromProbabilities(double[][] p, double[][] q, double[][] r, Integer label) {
        Divergences.requireSameRows("p vs q", p.length, q.length);
        Divergences.requireSameRows("p vs r", p.length, r.length);
        int n = p.length;
        if (n == 0) {
            throw new IllegalArgumentException("no probe images");
        }
        int k = p[0].length;
        double[] logQy = label == null ? null : new double[n];
        double[] logRy = label == null ? null : new double[n];
        if (label != null) {
            requireLabel(label, k);
        }
        double[] deltaSum = new double[k];
        for (int i = 0; i < n; i++) {
            requireRow(p, q, r, i, k);
            if (label != null) {
                logQy[i] = Divergences.clippedLog(q[i][label]);
                logRy[i] = Divergences.clippedLog(r[i][label]);
            }
            for (int c = 0; c < k; c++) {
                deltaSum[c] += q[i][c] - p[i][c];
            }
        }
        return fromReductions(Divergences.klPerImage(p, q), Divergences.klPerImage(p, r),
                logQy, logRy, divide(deltaSum, n));
    }

    /**
     * Scores from row-major flat {@code n×k} float matrices, as a model's batched output arrives.
     *
     * @param label the feature's training label y, or null when unknown
     */
    public static FeatureScores fromProbabilities(float[] p, float[] q, float[] r, int n, int k, Integer label) {
        Divergences.requireShape("p", p, n, k);
        Divergences.requireShape("q", q, n, k);
        Divergences.requireShape("r", r, n, k);
        if (label != null) {
            requireLabel(label, k);
        }
        double[] logQy = label == null ? null : new double[n];
        double[] logRy = label == null ? null : new double[n];
        double[] deltaSum = new double[k];
        for (int i = 0; i < n; i++) {
            if (label != null) {
                logQy[i] = Divergences.clippedLog(q[i * k + label]);
                logRy[i] = Divergences.clippedLog(r[i * k + label]);
            }
            for (int c = 0; c < k; c++) {
                deltaSum[c] += (double) q[i * k + c] - p[i * k + c];
            }
        }
        return fromReductions(Divergences.klPerImage(p, q, n, k), Divergences.klPerImage(p, r, n, k),
                logQy, logRy, divide(deltaSum, n));
    }

    /**
     * Scores from per-image reductions.
     *
     * @param klPQ                  KL(p_i‖q_i) per image (clipped as in {@link Divergences})
     * @param klPR                  KL(p_i‖r_i) per image
     * @param logQy                 log q_i[y] per image (clipped at 1e-7), or null when y is unknown
     * @param logRy                 log r_i[y] per image, null exactly when logQy is null
     * @param meanDeltaProbPerClass mean_i (q_i[c] − p_i[c]) for each class c
     */
    public static FeatureScores fromReductions(double[] klPQ, double[] klPR, double[] logQy, double[] logRy,
                                               double[] meanDeltaProbPerClass) {
        int n = checkedProbes(klPQ, klPR, meanDeltaProbPerClass);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = klPQ[i] - klPR[i];
        }
        PairedTests.TTest t = PairedTests.tTest(d);
        PairedTests.Wilcoxon w = PairedTests.wilcoxon(d);
        int argmax = argmax(meanDeltaProbPerClass);
        double meanPQ = mean(klPQ);
        double meanPR = mean(klPR);
        return new FeatureScores(meanPQ - meanPR, meanPQ, meanPR, labelScore(logQy, logRy, n),
                meanDeltaProbPerClass[argmax], argmax, t.t(), t.pValue(),
                w.wPlus(), w.z(), w.pValue(), w.exact(), n);
    }

    /**
     * A control's means only, with exactly {@link #fromReductions}'s arithmetic (so a control's M_KL and
     * M_label are bit-equal to the ones its full scores would have) and its checks on the values, but
     * without the paired tests, which no control reports.
     */
    public static ControlScore controlFromReductions(double[] klPQ, double[] klPR, double[] logQy, double[] logRy,
                                                     double[] meanDeltaProbPerClass) {
        int n = checkedProbes(klPQ, klPR, meanDeltaProbPerClass);
        return new ControlScore(mean(klPQ) - mean(klPR), labelScore(logQy, logRy, n));
    }

    /** The checks every score from reductions starts with; the number of probes. */
    private static int checkedProbes(double[] klPQ, double[] klPR, double[] meanDeltaProbPerClass) {
        Divergences.requireSameRows("klPQ vs klPR", klPQ.length, klPR.length);
        int n = klPQ.length;
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 probe images for the paired tests, got " + n);
        }
        if (meanDeltaProbPerClass.length == 0) {
            throw new IllegalArgumentException("meanDeltaProbPerClass is empty");
        }
        mean(meanDeltaProbPerClass); // rejects a non-finite class mean (before a feature's argmax)
        return n;
    }

    private static Double labelScore(double[] logQy, double[] logRy, int n) {
        if (logQy == null && logRy == null) {
            return null;
        }
        if (logQy == null || logRy == null) {
            throw new IllegalArgumentException("logQy and logRy must both be given or both be null");
        }
        Divergences.requireSameRows("logQy vs klPQ", logQy.length, n);
        Divergences.requireSameRows("logRy vs klPQ", logRy.length, n);
        return mean(logQy) - mean(logRy);
    }

    /** Index of the largest value; the lowest index on ties. */
    static int argmax(double[] values) {
        int best = 0;
        for (int c = 1; c < values.length; c++) {
            if (values[c] > values[best]) {
                best = c;
            }
        }
        return best;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("per-image value " + i + " is not finite: " + values[i]);
            }
            sum += values[i];
        }
        return sum / values.length;
    }

    private static double[] divide(double[] sums, int n) {
        double[] out = new double[sums.length];
        for (int c = 0; c < sums.length; c++) {
            out[c] = sums[c] / n;
        }
        return out;
    }

    private static void requireRow(double[][] p, double[][] q, double[][] r, int i, int k) {
        if (p[i].length != k || q[i].length != k || r[i].length != k) {
            throw new IllegalArgumentException("probe image " + i + ": rows must all have " + k
                    + " classes, got p=" + p[i].length + " q=" + q[i].length + " r=" + r[i].length);
        }
    }

    private static void requireLabel(int label, int k) {
        if (label < 0 || label >= k) {
            throw new IllegalArgumentException("label " + label + " is outside the " + k + " classes");
        }
    }
}
