package io.memaudit.common.score;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequentialStopTest {
    @Test
    void theFlipProbabilityIsTheNormalTailOfTheScaledMeanDifference() {
        // d = control − feature = {1, 3}: mean 2, sample variance 2; n = 2 of N = 4: scale √(2·4/2) = 2
        // Φ(−2·2/√2) = Φ(−2.8284) = 0.0023389
        double p = SequentialStop.flipProbability(new double[] {0, 0}, new double[] {1, 3}, 2, 2.0);
        assertEquals(0.0023389, p, 1e-6);
        assertEquals(1.0, SequentialStop.flipProbability(new double[] {1, 3}, new double[] {0, 0}, 2, 2.0),
                "a control below the feature does not beat it at all");
        assertEquals(0.0, SequentialStop.flipProbability(new double[] {0, 0}, new double[] {1, 1}, 2, 2.0),
                "a constant positive difference cannot flip");
    }

    @Test
    void stopsWhenEnoughControlsBeatTheFeatureClearlyAndOnlyThen() {
        SequentialStop stop = new SequentialStop(250, 1e-3);
        double[] feature = noise(2000, 1, 0.0);
        double[][] twoFarAbove = {noise(2000, 2, 1.0), noise(2000, 3, 1.0), noise(2000, 4, -1.0)};
        assertTrue(stop.canStop(feature, twoFarAbove, 250, 2000, 2), "two controls a standard deviation above");
        assertFalse(stop.canStop(feature, twoFarAbove, 250, 2000, 3), "the third needed control is below the feature");
        double[][] oneAbove = {noise(2000, 2, 1.0), noise(2000, 3, 0.0), noise(2000, 4, -1.0)};
        assertFalse(stop.canStop(feature, oneAbove, 250, 2000, 2), "a control level with the feature may still flip");
        assertFalse(stop.canStop(feature, twoFarAbove, 2000, 2000, 2), "nothing is left to skip after the last probe");
        assertFalse(stop.canStop(feature, new double[][] {noise(2000, 2, 1.0)}, 250, 2000, 2),
                "fewer controls than the rank to reach");
        assertTrue(stop.canStop(feature, oneAbove, 250, 2000, 0), "no rank is significant: nothing to look at");
    }

    @Test
    void aSmallShiftNeedsMoreProbesBeforeItIsClear() {
        SequentialStop stop = new SequentialStop(250, 1e-3);
        double[] feature = noise(2000, 1, 0.0);
        double[][] controls = {noise(2000, 2, 0.25), noise(2000, 3, 0.25)};
        int first = -1;
        for (int n = 250; n < 2000 && first < 0; n += 250) {
            if (stop.canStop(feature, controls, n, 2000, 2)) {
                first = n;
            }
        }
        // √2 sd per difference, shift 0.25: z at n = 250 is 0.25·√(250·2000/1750)/1.41 ≈ 3.0 (tail 1.3e-3 each)
        assertTrue(first > 250, "not yet at the first look, stopped at " + first);
    }

    @Test
    void theRankToReachFollowsAlphaAndK() {
        assertEquals(2, SequentialStop.maxSignificantRank(MemorisationRule.DEFAULT, 199));
        assertEquals(1, SequentialStop.maxSignificantRank(MemorisationRule.DEFAULT, 99));
        assertEquals(0, SequentialStop.maxSignificantRank(MemorisationRule.DEFAULT, 25));
        assertThrows(IllegalArgumentException.class, () -> new SequentialStop(1, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new SequentialStop(250, 0));
    }

    /** Deterministic Gaussian noise with the given mean and unit variance. */
    private static double[] noise(int n, long seed, double mean) {
        java.util.Random r = new java.util.Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = mean + r.nextGaussian();
        }
        return x;
    }
}
