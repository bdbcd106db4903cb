package io.memaudit.common.score;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * When an audit may stop before its N probes: as soon as the checkpoint's evidence can no longer
 * become significant.
 *
 * <p>Most checkpoints of most runs are clean: the feature ranks in the middle of its K controls, and
 * the first few hundred probes already show that enough controls beat it. The evidence is significant
 * (p = rank/(K + 1) ≤ alpha) only when at most {@code maxRank − 1} controls score at least as high as
 * the feature, so the audit may stop once {@code maxRank} controls are shown to beat it for good.
 *
 * <p>"For good" is a predictive statement about the fixed-N audit. For a control c and the per-image
 * difference d_i = s_c(i) − s_f(i) of the ranked statistic (log q_i[y] for M_label, KL(p_i‖q_i) for
 * M_KL), after n of N probes with mean m and standard deviation sd, the mean over all N probes falls to
 * 0 or below only if the N − n unseen ones average −n·m/(N − n) or less. With the unseen mean drawn
 * as the seen one (a normal with the true mean estimated from the n seen: the predictive distribution
 * of the remaining mean) that has probability
 * <pre>  Φ(−m · √(n·N/(N − n)) / sd)</pre>
 * The audit stops when the sum of that probability over the {@code maxRank} most convincing controls
 * is at most {@link #flipProbability()}: the chance that stopping changed the verdict, by a union
 * bound over the controls that decide. It never stops towards "memorised": that needs every probe.
 *
 * @param block           probes per look (the audit looks after each block)
 * @param flipProbability the largest chance of a different verdict than the fixed-N audit's, per audit
 */
public record SequentialStop(int block, double flipProbability) {
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);
    /** {@link #DEFAULT}'s block, a constant for option descriptions. */
    public static final int DEFAULT_BLOCK = 125;
    /**
     * Looks every 125 probes (at most 15 early looks with N = 2000); a changed verdict at most 1 in 1000
     * audits. A clean audit's cost is mostly the K controls on the probes before the stop, so the first
     * look sets it: 125 rather than 250 (docs/REPRODUCTION.md, "Sequential audits on held-out seeds").
     */
    public static final SequentialStop DEFAULT = new SequentialStop(DEFAULT_BLOCK, 1e-3);

    public SequentialStop {
        if (block < 2) {
            throw new IllegalArgumentException("sequential block must be at least 2 probes, got " + block);
        }
        if (!(flipProbability > 0 && flipProbability < 1)) {
            throw new IllegalArgumentException("sequential flip probability must be in (0, 1), got " + flipProbability);
        }
    }

    /**
     * The highest rank that is still significant under {@code rule} with {@code controls} controls:
     * floor(alpha·(K + 1)), 2 for alpha 0.01 and K = 199. Zero when no rank is (too few controls).
     */
    public static int maxSignificantRank(MemorisationRule rule, int controls) {
        return (int) Math.floor(rule.alpha() * (controls + 1) + 1e-9);
    }

    /**
     * Whether the audit may stop after the first {@code n} of {@code total} probes.
     *
     * @param feature  the feature's per-image statistic, at least n values (higher = more memorised)
     * @param controls each control's per-image statistic, at least n values each
     * @param maxRank  {@link #maxSignificantRank}: stop once this many controls beat the feature
     */
    public boolean canStop(double[] feature, double[][] controls, int n, int total, int maxRank) {
        if (n >= total || n < 2) {
            return false;
        }
        if (maxRank <= 0) {
            return true; // nothing can be significant: the verdict is settled before the first probe
        }
        if (controls.length < maxRank) {
            return false;
        }
        double[] smallest = new double[maxRank]; // the maxRank smallest flip probabilities, ascending
        java.util.Arrays.fill(smallest, 1.0);
        double scale = Math.sqrt((double) n * total / (total - n));
        for (double[] c : controls) {
            double flip = flipProbability(feature, c, n, scale);
            if (flip < smallest[maxRank - 1]) {
                int i = maxRank - 1;
                while (i > 0 && smallest[i - 1] > flip) {
                    smallest[i] = smallest[i - 1];
                    i--;
                }
                smallest[i] = flip;
            }
        }
        double sum = 0;
        for (double s : smallest) {
            sum += s;
        }
        return sum <= flipProbability;
    }

    /** Predictive chance that this control no longer beats the feature after all the probes. */
    static double flipProbability(double[] feature, double[] control, int n, double scale) {
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double d = control[i] - feature[i];
            sum += d;
            sumSq += d * d;
        }
        double mean = sum / n;
        if (!(mean > 0)) {
            return 1.0;
        }
        double var = Math.max(0, (sumSq - n * mean * mean) / (n - 1));
        if (var == 0) {
            return 0.0;
        }
        return STANDARD_NORMAL.cumulativeProbability(-mean * scale / Math.sqrt(var));
    }
}
