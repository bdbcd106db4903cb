package io.memaudit.common.score;

import java.util.List;

/**
 * The verdict memaudit ships: a decision for the training run at each audited checkpoint, not for the
 * checkpoint alone.
 *
 * <ul>
 *   <li>MEMORISED: the feature's {@link Evidence#p()} is at most {@code alpha} at this checkpoint AND at
 *       each of the run's {@code confirmations − 1} previous audited checkpoints;</li>
 *   <li>INCONCLUSIVE: p ≤ alpha here, not (yet) confirmed by the checkpoints before;</li>
 *   <li>NOT_MEMORISED: p &gt; alpha.</li>
 * </ul>
 *
 * <p>Why: a run is audited at tens of checkpoints, so a rule that may fire on any single one pages on
 * clean runs (the study's verdict at any of 8 checkpoints: 15 % of clean runs). Persistence keeps each
 * checkpoint's false-positive rate at most {@code alpha} under exchangeability, whatever came before,
 * and removes the one-checkpoint flukes that make up most false alarms; alpha spending over the run
 * would need p-values that K controls cannot reach (p ≥ 1/(K + 1)). The rank alone decides: the paired
 * tests' p-values are near 0 for twins too (docs/REPRODUCTION.md), so they are reported, not used.
 * Chosen on calibration seeds and measured on held-out ones (docs/REPRODUCTION.md, "Alerts over whole
 * runs").
 */
public final class MemorisationRule {
    public static final double DEFAULT_ALPHA = 0.01;
    public static final int DEFAULT_CONFIRMATIONS = 2;
    /** p ≤ 0.01 on two consecutive audited checkpoints. */
    public static final MemorisationRule DEFAULT = new MemorisationRule(DEFAULT_ALPHA, DEFAULT_CONFIRMATIONS);

    private final double alpha;
    private final int confirmations;

    /**
     * @param alpha         the largest p-value that counts at a checkpoint, in (0, 1)
     * @param confirmations consecutive audited checkpoints with p ≤ alpha needed for MEMORISED, ≥ 1
     */
    public MemorisationRule(double alpha, int confirmations) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        if (confirmations < 1) {
            throw new IllegalArgumentException("confirmations must be at least 1, got " + confirmations);
        }
        this.alpha = alpha;
        this.confirmations = confirmations;
    }

    public double alpha() {
        return alpha;
    }

    public int confirmations() {
        return confirmations;
    }

    /** How many earlier checkpoints' evidence {@link #decide} looks at: confirmations − 1. */
    public int lookBack() {
        return confirmations - 1;
    }

    /** The smallest K for which p = 1/(K + 1) can reach alpha: with fewer controls the verdict is never memorised. */
    public int minControls() {
        return (int) Math.ceil(1 / alpha - 1e-9) - 1;
    }

    /** Whether one checkpoint's evidence counts. */
    public boolean significant(Evidence e) {
        return e != null && e.p() <= alpha + 1e-12;
    }

    /**
     * @param now     this checkpoint's evidence
     * @param earlier the run's previous audited checkpoints' evidence for the same feature, the most
     *                recent first (only the first {@link #lookBack()} are read; fewer, or a null entry,
     *                means not confirmed)
     */
    public Verdict decide(Evidence now, List<Evidence> earlier) {
        if (!significant(now)) {
            return Verdict.NOT_MEMORISED;
        }
        if (earlier.size() < lookBack()) {
            return Verdict.INCONCLUSIVE;
        }
        for (int i = 0; i < lookBack(); i++) {
            if (!significant(earlier.get(i))) {
                return Verdict.INCONCLUSIVE;
            }
        }
        return Verdict.MEMORISED;
    }

    @Override
    public String toString() {
        return "p <= " + alpha + " at " + confirmations + " consecutive audited checkpoint" + (confirmations == 1 ? "" : "s");
    }
}
