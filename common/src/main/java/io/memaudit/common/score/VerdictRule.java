package io.memaudit.common.score;

/**
 * The per-checkpoint verdict of memaudit 0.1, kept so that {@code reproduce} can report it as the
 * "before" of docs/REPRODUCTION.md; memaudit decides with {@link MemorisationRule} now. It turns a
 * calibrated score and the paired tests into a {@link Verdict}.
 *
 * <p>The rule, with K controls, rank among the K+1 scores (1 = highest, ties pessimistic) and
 * {@code top = max(1, ceil(topFraction·(K+1)))}:
 * <ul>
 *   <li>MEMORISED iff rank == 1 (the feature out-scores every control) AND pValueT &lt; alpha
 *       AND pValueWilcoxon &lt; alpha;</li>
 *   <li>INCONCLUSIVE iff not memorised but rank == 1, or rank ≤ top and pValueT &lt; alpha;</li>
 *   <li>NOT_MEMORISED otherwise.</li>
 * </ul>
 *
 * <p>Why the p-values alone are not a verdict: with tens of thousands of probes they underflow to
 * 0 for negligible effects, and a glyph the model never saw moves its outputs differently from a
 * random patch by its shape alone, so the paired test is "significant" as often for twin models
 * that never saw the feature as for models that did. Raw scores are not centred at 0 either (an
 * all-zero patch out-scored every real feature in the authors' code). Only out-ranking never-seen
 * control features of the same kind gives the test a null; the p-values then guard against a
 * rank-1 that is noise over few probes.
 */
public final class VerdictRule {
    public static final double DEFAULT_ALPHA = 0.01;
    public static final double DEFAULT_TOP_FRACTION = 0.1;
    /** The rule with alpha 0.01 and topFraction 0.1. */
    public static final VerdictRule DEFAULT = new VerdictRule(DEFAULT_ALPHA, DEFAULT_TOP_FRACTION);

    /** Absorbs floating-point error in topFraction·(K+1), e.g. 0.1·30 = 3.0000000000000004. */
    private static final double CEIL_SLACK = 1e-9;

    private final double alpha;
    private final double topFraction;

    /**
     * @param alpha       significance level for both tests, in (0, 1)
     * @param topFraction fraction of the K+1 ranks counted as "near the top", in (0, 1]
     */
    public VerdictRule(double alpha, double topFraction) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        if (!(topFraction > 0 && topFraction <= 1)) {
            throw new IllegalArgumentException("topFraction must be in (0, 1], got " + topFraction);
        }
        this.alpha = alpha;
        this.topFraction = topFraction;
    }

    public double alpha() {
        return alpha;
    }

    public double topFraction() {
        return topFraction;
    }

    /** The largest rank counted as near the top: max(1, ceil(topFraction·(K+1))). */
    public int topRank(int controls) {
        return Math.max(1, (int) Math.ceil(topFraction * (controls + 1) - CEIL_SLACK));
    }

    /**
     * Applies the rule. A NaN p-value is never significant.
     *
     * @param rank     the feature's rank among the K+1 scores, 1..K+1
     * @param controls K
     */
    public Verdict decide(int rank, int controls, double pValueT, double pValueWilcoxon) {
        if (controls < 1 || rank < 1 || rank > controls + 1) {
            throw new IllegalArgumentException("rank " + rank + " with " + controls
                    + " controls: need controls >= 1 and rank in 1.." + (controls + 1));
        }
        boolean top = rank == 1;
        boolean tSignificant = pValueT < alpha;
        if (top && tSignificant && pValueWilcoxon < alpha) {
            return Verdict.MEMORISED;
        }
        if (top || (rank <= topRank(controls) && tSignificant)) {
            return Verdict.INCONCLUSIVE;
        }
        return Verdict.NOT_MEMORISED;
    }

    /** Applies the rule to a calibrated score and the feature's paired tests. */
    public Verdict decide(CalibratedScore calibrated, FeatureScores scores) {
        return decide(calibrated.rank(), calibrated.controls(), scores.pValueT(), scores.pValueWilcoxon());
    }
}
