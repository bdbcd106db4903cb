package io.memaudit.common.score;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * One-sided paired tests over per-image differences {@code d_i = KL(p_i‖q_i) − KL(p_i‖r_i)},
 * H1: the UF moves outputs more than the control patch (mean / location of d is above 0).
 *
 * <p>A small p-value here is NOT a verdict: with many probes it underflows for negligible effects,
 * and a never-seen glyph's shape alone moves outputs differently from a random patch (see
 * {@link VerdictRule}).
 */
public final class PairedTests {
    /** Largest count of non-zero, untied differences for which the exact Wilcoxon null is used. */
    public static final int WILCOXON_EXACT_MAX_N = 25;

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private PairedTests() {
    }

    /** Result of the one-sided paired t-test. */
    public record TTest(double mean, double sd, double t, double pValue, int n) {
    }

    /**
     * Result of the one-sided Wilcoxon signed-rank test.
     *
     * @param wPlus   sum of the (average) ranks of |d| over the positive differences
     * @param z       continuity- and tie-corrected normal statistic {@code (W+ − μ − 0.5)/σ};
     *                reported even when the p-value is exact; 0 when every difference is zero
     * @param pValue  {@code P(W+ ≥ observed)} under H0
     * @param nonZero differences left after dropping zeros
     * @param exact   true when the p-value came from the exact null distribution
     */
    public record Wilcoxon(double wPlus, double z, double pValue, int nonZero, boolean exact) {
    }

    /**
     * One-sided paired t-test: {@code t = mean(d) / (sd(d)/√n)}, sd with n−1, and
     * {@code p = 1 − T_{n−1}(t)} (computed as {@code T_{n−1}(−t)} to keep precision in the tail).
     *
     * <p>Zero spread (all d exactly equal): t = +∞ and p = 0 when the mean is above 0; t = −∞ and p = 1
     * when below; t = 0 and p = 0.5 when every d is 0 (the limit of the regular formula at t = 0,
     * never significant).
     *
     * @throws IllegalArgumentException when n &lt; 2 or a difference is not finite
     */
    public static TTest tTest(double[] d) {
        requireFinite(d);
        int n = d.length;
        if (n < 2) {
            throw new IllegalArgumentException("t-test needs at least 2 paired differences, got " + n);
        }
        if (allEqual(d)) {
            return zeroSpread(d[0], n);
        }
        double mean = Arrays.stream(d).sum() / n;
        double ss = 0;
        for (double v : d) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double t = mean / (sd / Math.sqrt(n));
        double p = new TDistribution(null, n - 1).cumulativeProbability(-t);
        return new TTest(mean, sd, t, p, n);
    }

    private static TTest zeroSpread(double value, int n) {
        if (value > 0) {
            return new TTest(value, 0, Double.POSITIVE_INFINITY, 0, n);
        }
        if (value < 0) {
            return new TTest(value, 0, Double.NEGATIVE_INFINITY, 1, n);
        }
        return new TTest(0, 0, 0, 0.5, n);
    }

    /**
     * One-sided Wilcoxon signed-rank test, H1: d tends to be positive.
     *
     * <p>Zero differences are dropped before ranking (Wilcoxon's original convention; Pratt's
     * alternative keeps them). Ties in |d| get average ranks. With at most
     * {@value #WILCOXON_EXACT_MAX_N} remaining differences and no ties, the p-value is exact
     * (dynamic programming over all 2^n sign assignments); otherwise it uses the normal
     * approximation with mean {@code n(n+1)/4}, variance {@code n(n+1)(2n+1)/24 − Σ(t³−t)/48}
     * and continuity correction 0.5. If every difference is zero, W+ = 0, z = 0 and p = 1.
     *
     * @throws IllegalArgumentException when d is empty or a difference is not finite
     */
    public static Wilcoxon wilcoxon(double[] d) {
        requireFinite(d);
        if (d.length == 0) {
            throw new IllegalArgumentException("Wilcoxon test needs at least 1 paired difference");
        }
        double[] nonZero = Arrays.stream(d).filter(v -> v != 0).toArray();
        int n = nonZero.length;
        if (n == 0) {
            return new Wilcoxon(0, 0, 1, 0, true);
        }
        Ranking ranking = Ranking.ofAbsolute(nonZero);
        double wPlus = 0;
        for (int i = 0; i < n; i++) {
            if (nonZero[i] > 0) {
                wPlus += ranking.ranks()[i];
            }
        }
        double z = normalZ(wPlus, n, ranking.tieCorrection());
        boolean exact = n <= WILCOXON_EXACT_MAX_N && !ranking.hasTies();
        double p = exact ? exactUpperTail((int) Math.round(wPlus), n) : STANDARD_NORMAL.cumulativeProbability(-z);
        return new Wilcoxon(wPlus, z, p, n, exact);
    }

    /** {@code (W+ − n(n+1)/4 − 0.5) / σ}, σ² = n(n+1)(2n+1)/24 − Σ(t³−t)/48. */
    static double normalZ(double wPlus, int n, double sumTieCubes) {
        double mean = n * (n + 1) / 4.0;
        double variance = n * (n + 1.0) * (2.0 * n + 1) / 24.0 - sumTieCubes / 48.0;
        return (wPlus - mean - 0.5) / Math.sqrt(variance);
    }

    /**
     * Exact {@code P(W+ ≥ w)} for n untied non-zero differences: counts the subsets of ranks
     * {1..n} whose sum is at least w, out of 2^n equally likely sign assignments.
     */
    static double exactUpperTail(int w, int n) {
        int maxSum = n * (n + 1) / 2;
        long[] count = new long[maxSum + 1];
        count[0] = 1;
        for (int rank = 1; rank <= n; rank++) {
            for (int s = maxSum; s >= rank; s--) {
                count[s] += count[s - rank];
            }
        }
        long atLeast = 0;
        for (int s = Math.max(0, w); s <= maxSum; s++) {
            atLeast += count[s];
        }
        return atLeast / Math.pow(2, n);
    }

    /** Exact equality test, so rounding in the mean cannot turn zero spread into a huge t. */
    static boolean allEqual(double[] values) {
        for (double v : values) {
            if (v != values[0]) {
                return false;
            }
        }
        return true;
    }

    private static void requireFinite(double[] d) {
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                throw new IllegalArgumentException("paired difference " + i + " is not finite: " + d[i]);
            }
        }
    }

    /** Average ranks of |values| (1 = smallest) and the tie term Σ(t³−t) over tie groups. */
    record Ranking(double[] ranks, double tieCorrection) {
        boolean hasTies() {
            return tieCorrection > 0;
        }

        static Ranking ofAbsolute(double[] values) {
            int n = values.length;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(Math.abs(values[a]), Math.abs(values[b])));
            double[] ranks = new double[n];
            double ties = 0;
            int start = 0;
            while (start < n) {
                int end = start;
                while (end + 1 < n && Math.abs(values[order[end + 1]]) == Math.abs(values[order[start]])) {
                    end++;
                }
                double averageRank = (start + end + 2) / 2.0;
                for (int j = start; j <= end; j++) {
                    ranks[order[j]] = averageRank;
                }
                double t = end - start + 1;
                ties += t * t * t - t;
                start = end + 1;
            }
            return new Ranking(ranks, ties);
        }
    }
}
