package io.memaudit.common.score;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VerdictRuleTest {
    private final VerdictRule rule = VerdictRule.DEFAULT;

    /** K = 25 controls, alpha .01, topFraction .1: top ranks = ceil(.1 · 26) = ceil(2.6) = 3. */
    @ParameterizedTest(name = "rank {0}, pT {1}, pW {2} -> {3}")
    @CsvSource({
        "1,  0.001, 0.001, MEMORISED",
        "1,  0.001, 0.05,  INCONCLUSIVE",   // Wilcoxon not significant
        "1,  0.05,  0.001, INCONCLUSIVE",   // t not significant
        "1,  0.5,   0.5,   INCONCLUSIVE",   // top rank alone is never dismissed
        "1,  0.01,  0.001, INCONCLUSIVE",   // p must be strictly below alpha
        "1,  NaN,   0.001, INCONCLUSIVE",
        "2,  0.001, 0.001, INCONCLUSIVE",   // near the top and t significant
        "3,  0.001, 0.5,   INCONCLUSIVE",
        "4,  0.001, 0.001, NOT_MEMORISED",  // outside the top 3
        "2,  0.05,  0.001, NOT_MEMORISED",  // near the top but t not significant
        "26, 0.0,   0.0,   NOT_MEMORISED"   // p-values alone are not a verdict
    })
    void truthTable(int rank, double pT, double pW, Verdict expected) {
        assertEquals(expected, rule.decide(rank, 25, pT, pW));
    }

    @Test
    void topRankAbsorbsFloatingPointError() {
        assertEquals(3, rule.topRank(25));  // ceil(2.6)
        assertEquals(3, rule.topRank(29));  // .1 · 30 = 3.0000000000000004 in double, still 3
        assertEquals(1, rule.topRank(9));   // ceil(1.0)
        assertEquals(1, rule.topRank(3));   // max(1, ceil(0.4))
        assertEquals(Verdict.NOT_MEMORISED, rule.decide(4, 29, 0.001, 0.001));
    }

    @Test
    void customAlphaAndTopFraction() {
        VerdictRule loose = new VerdictRule(0.05, 0.5);
        assertEquals(Verdict.MEMORISED, loose.decide(1, 9, 0.02, 0.03));
        assertEquals(Verdict.INCONCLUSIVE, loose.decide(5, 9, 0.02, 0.5));  // top = ceil(5) = 5
        assertEquals(Verdict.NOT_MEMORISED, loose.decide(6, 9, 0.02, 0.02));
    }

    @Test
    void decidesFromCalibratedScoreAndFeatureScores() {
        CalibratedScore top = Calibration.calibrate(0.9, new double[] {0.1, 0.2, 0.3});
        FeatureScores significant = new FeatureScores(0.9, 1, 0.1, null, 0.1, 0, 5, 1e-4, 10, 3, 1e-3, true, 10);
        assertEquals(Verdict.MEMORISED, rule.decide(top, significant));
        CalibratedScore tied = Calibration.calibrate(0.3, new double[] {0.1, 0.2, 0.3});
        // a control tying the feature ranks above it: rank 2 of 4, top = max(1, ceil(.4)) = 1
        assertEquals(2, tied.rank());
        assertEquals(Verdict.NOT_MEMORISED, rule.decide(tied, significant));
    }

    @Test
    void rejectsImpossibleInput() {
        assertThrows(IllegalArgumentException.class, () -> new VerdictRule(0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new VerdictRule(0.01, 0));
        assertThrows(IllegalArgumentException.class, () -> rule.decide(0, 25, 0.1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> rule.decide(27, 25, 0.1, 0.1));
    }

    @Test
    void wireNames() {
        assertEquals("memorised", Verdict.MEMORISED.wire());
        assertEquals("not-memorised", Verdict.NOT_MEMORISED.wire());
        assertEquals("inconclusive", Verdict.INCONCLUSIVE.wire());
        assertEquals(Verdict.NOT_MEMORISED, Verdict.fromWire("not-memorised"));
        assertThrows(IllegalArgumentException.class, () -> Verdict.fromWire("MEMORISED"));
    }
}
