package io.memaudit.common.score;

/**
 * The sensitivity of one model to one feature over a probe set (see {@link SensitivityScore}).
 *
 * @param mKl            M_KL = meanKlFeature − meanKlControl; the headline, label-free score
 * @param meanKlFeature  mean_i KL(p_i‖q_i): clean vs with the feature
 * @param meanKlControl  mean_i KL(p_i‖r_i): clean vs with the random control patch
 * @param mLabel         M_label = mean_i log q_i[y] − mean_i log r_i[y]; null when y is unknown
 * @param mProbMax       max_c M_prob(c), M_prob(c) = mean_i (q_i[c] − p_i[c])
 * @param mProbArgmax    the class c attaining mProbMax (lowest index on ties)
 * @param tStatistic     paired t statistic over d_i = KL(p_i‖q_i) − KL(p_i‖r_i)
 * @param pValueT        one-sided p-value of the t-test (H1: mean d &gt; 0)
 * @param wilcoxonWPlus  Wilcoxon signed-rank W+ over the same d_i
 * @param wilcoxonZ      normal statistic of W+ (continuity- and tie-corrected)
 * @param pValueWilcoxon one-sided Wilcoxon p-value (exact when {@code wilcoxonExact})
 * @param wilcoxonExact  whether the Wilcoxon p-value is exact
 * @param n              number of probe images
 */
public record FeatureScores(
        double mKl,
        double meanKlFeature,
        double meanKlControl,
        Double mLabel,
        double mProbMax,
        int mProbArgmax,
        double tStatistic,
        double pValueT,
        double wilcoxonWPlus,
        double wilcoxonZ,
        double pValueWilcoxon,
        boolean wilcoxonExact,
        int n) {

    /** Whether the feature's label was known, so {@link #mLabel()} is present. */
    public boolean hasLabelScore() {
        return mLabel != null;
    }
}
