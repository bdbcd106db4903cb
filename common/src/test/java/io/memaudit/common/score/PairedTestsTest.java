package io.memaudit.common.score;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairedTestsTest {

    @Test
    void tTestWithOneDegreeOfFreedomMatchesTheCauchyCdf() {
        // d = [1, 3]: mean 2, sd = sqrt(((−1)² + 1²)/1) = sqrt2, t = 2 / (sqrt2/sqrt2) = 2
        // T_1 is Cauchy: p = 1 − (.5 + atan(2)/π) = .5 − 1.1071487178/π = 0.1475836177
        PairedTests.TTest t = PairedTests.tTest(new double[] {1, 3});
        assertEquals(2.0, t.t(), 1e-12);
        assertEquals(0.1475836177, t.pValue(), 1e-9);
    }

    @Test
    void tTestWithTwoDegreesOfFreedomMatchesTheClosedForm() {
        // d = [1, 2, 6]: mean 3, deviations −2, −1, 3, ss = 14, sd = sqrt7,
        // t = 3 / (sqrt7/sqrt3) = sqrt(27/7) = 1.9639610121
        // T_2 cdf = .5 + t/(2 sqrt(2 + t²)): p = .5 − sqrt(27/7)/(2 sqrt(41/7)) = .5 − sqrt(27/41)/2
        //   = .5 − 0.8115027/2 = 0.0942486644
        PairedTests.TTest t = PairedTests.tTest(new double[] {1, 2, 6});
        assertEquals(1.9639610121, t.t(), 1e-9);
        assertEquals(Math.sqrt(7), t.sd(), 1e-12);
        assertEquals(0.0942486644, t.pValue(), 1e-9);
    }

    @Test
    void tTestAtTheTabledCriticalValueGivesAlpha() {
        // d = 1.5074 + [−2, −1, 0, 1, 2]: sd = sqrt(10/4) = 1.5811388, se = sd/sqrt5 = 0.7071068,
        // t = 1.5074/0.7071068 = 2.13179; t-table, df 4, one-sided 0.05: 2.132 → p = 0.05
        PairedTests.TTest t = PairedTests.tTest(new double[] {-0.4926, 0.5074, 1.5074, 2.5074, 3.5074});
        assertEquals(2.1318, t.t(), 1e-4);
        assertEquals(0.05, t.pValue(), 1e-4);
    }

    @Test
    void tTestWithZeroSpreadIsDecidedByTheSignOfTheMean() {
        PairedTests.TTest up = PairedTests.tTest(new double[] {0.2, 0.2, 0.2});
        assertEquals(Double.POSITIVE_INFINITY, up.t());
        assertEquals(0.0, up.pValue());
        PairedTests.TTest down = PairedTests.tTest(new double[] {-0.2, -0.2});
        assertEquals(Double.NEGATIVE_INFINITY, down.t());
        assertEquals(1.0, down.pValue());
        PairedTests.TTest none = PairedTests.tTest(new double[] {0, 0, 0});
        assertEquals(0.0, none.t());
        assertEquals(0.5, none.pValue());
    }

    @Test
    void tTestRejectsTooFewOrNonFiniteDifferences() {
        assertThrows(IllegalArgumentException.class, () -> PairedTests.tTest(new double[] {1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairedTests.tTest(new double[] {1, Double.NaN}));
        assertTrue(e.getMessage().contains("1"), e.getMessage());
    }

    @Test
    void wilcoxonExactMatchesEnumerationAndDropsZeros() {
        // Non-zero d = [.3, −.1, .5, .2, .4]; |d| ranks: .1→1, .2→2, .3→3, .4→4, .5→5.
        // W+ = 3 + 5 + 2 + 4 = 14. Of the 2^5 = 32 subsets of {1..5}, sums ≥ 14 are
        // {1,2,3,4,5} = 15 and {2,3,4,5} = 14 → p = 2/32 = 0.0625.
        // (Keeping the zero instead would give n = 6, W+ = 18, p = 5/64.)
        PairedTests.Wilcoxon w = PairedTests.wilcoxon(new double[] {0.3, -0.1, 0, 0.5, 0.2, 0.4});
        assertEquals(14.0, w.wPlus(), 0);
        assertEquals(5, w.nonZero());
        assertTrue(w.exact());
        assertEquals(0.0625, w.pValue(), 1e-15);
    }

    @Test
    void wilcoxonExactCountsTheLowerSubsets() {
        // d = [−1, −2, 3, 4]: W+ = 3 + 4 = 7. P(W+ ≥ 7) = P(sum of negatives' ranks ≤ 3):
        // subsets of {1..4} with sum ≤ 3: {}, {1}, {2}, {3}, {1,2} → 5/16 = 0.3125
        PairedTests.Wilcoxon w = PairedTests.wilcoxon(new double[] {-1, -2, 3, 4});
        assertEquals(7.0, w.wPlus(), 0);
        assertEquals(0.3125, w.pValue(), 1e-15);
    }

    @Test
    void wilcoxonNormalApproximationWithTiesAndContinuityCorrection() {
        // 10 × (+1), 5 × (−1), 10 × (+2), 5 × (−2), 3 × 0 (dropped) → n = 30.
        // |d| = 1 takes ranks 1..15 (average 8), |d| = 2 ranks 16..30 (average 23).
        // W+ = 10·8 + 10·23 = 310; μ = 30·31/4 = 232.5;
        // σ² = 30·31·61/24 − 2·(15³ − 15)/48 = 2363.75 − 140 = 2223.75, σ = 47.1566538;
        // z = (310 − 232.5 − 0.5)/σ = 77/47.1566538 = 1.6328555;
        // p = 1 − Φ(1.6328555) = 0.0512497 (Φ(1.63) = .94845, Φ(1.64) = .94950, interpolated).
        double[] d = new double[33];
        for (int i = 0; i < 30; i++) {
            d[i] = (i < 10 ? 1 : i < 15 ? -1 : i < 25 ? 2 : -2);
        }
        PairedTests.Wilcoxon w = PairedTests.wilcoxon(d);
        assertEquals(310.0, w.wPlus(), 1e-12);
        assertEquals(30, w.nonZero());
        assertFalse(w.exact());
        assertEquals(1.6328555, w.z(), 1e-6);
        assertEquals(0.0512497, w.pValue(), 1e-6);
    }

    @Test
    void wilcoxonUsesTheNormalApproximationForSmallSamplesWithTies() {
        // d = [1, 1, 2]: ties in |d| → normal even though n = 3. Ranks 1.5, 1.5, 3; W+ = 6;
        // μ = 3; σ² = 3·4·7/24 − (8 − 2)/48 = 3.5 − 0.125 = 3.375; z = 2.5/1.8371173 = 1.3608276
        PairedTests.Wilcoxon w = PairedTests.wilcoxon(new double[] {1, 1, 2});
        assertFalse(w.exact());
        assertEquals(6.0, w.wPlus(), 0);
        assertEquals(1.3608276, w.z(), 1e-6);
    }

    @Test
    void wilcoxonSwitchesToTheNormalApproximationAbove25() {
        double[] d25 = new double[25];
        double[] d26 = new double[26];
        for (int i = 0; i < 26; i++) {
            if (i < 25) {
                d25[i] = i + 1;
            }
            d26[i] = i + 1;
        }
        assertTrue(PairedTests.wilcoxon(d25).exact());
        // all 25 positive: only the full set reaches W+ = 325, p = 2^−25
        assertEquals(Math.pow(2, -25), PairedTests.wilcoxon(d25).pValue(), 1e-20);
        assertFalse(PairedTests.wilcoxon(d26).exact());
    }

    @Test
    void wilcoxonWithOnlyZerosIsNeverSignificant() {
        PairedTests.Wilcoxon w = PairedTests.wilcoxon(new double[] {0, 0, 0});
        assertEquals(1.0, w.pValue());
        assertEquals(0, w.nonZero());
    }
}
