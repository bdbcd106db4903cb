package io.memaudit.common.score;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Three probe images, K = 3 classes, every clean output p_i = [.5, .25, .25]:
 * <pre>
 *   q_1 = [.25, .5, .25]   r_1 = [.5, .25, .25]   (feature moves image 1, control does not)
 *   q_2 = [.25, .5, .25]   r_2 = [.25, .25, .5]   (both move image 2)
 *   q_3 = [.5, .25, .25]   r_3 = [.5, .25, .25]   (neither moves image 3)
 * </pre>
 * KL(p‖[.25,.5,.25]) = .5 ln2 + .25 ln(.5) + 0 = .25 ln2; KL(p‖[.25,.25,.5]) = .25 ln2 likewise.
 */
class SensitivityScoreTest {
    private static final double LN2 = Math.log(2);
    private static final double[][] P = {{0.5, 0.25, 0.25}, {0.5, 0.25, 0.25}, {0.5, 0.25, 0.25}};
    private static final double[][] Q = {{0.25, 0.5, 0.25}, {0.25, 0.5, 0.25}, {0.5, 0.25, 0.25}};
    private static final double[][] R = {{0.5, 0.25, 0.25}, {0.25, 0.25, 0.5}, {0.5, 0.25, 0.25}};

    @Test
    void mKlIsMeanFeatureKlMinusMeanControlKl() {
        FeatureScores s = SensitivityScore.fromProbabilities(P, Q, R, null);
        // mean KL(p‖q) = (.25 ln2 + .25 ln2 + 0)/3 = ln2/6 = 0.1155245301
        assertEquals(0.1155245301, s.meanKlFeature(), 1e-10);
        // mean KL(p‖r) = (0 + .25 ln2 + 0)/3 = ln2/12 = 0.0577622650
        assertEquals(0.0577622650, s.meanKlControl(), 1e-10);
        // M_KL = ln2/6 − ln2/12 = ln2/12
        assertEquals(LN2 / 12, s.mKl(), 1e-12);
        assertEquals(3, s.n());
    }

    @Test
    void mLabelComparesLogProbabilityOfTheLabelUnderFeatureAndControl() {
        FeatureScores s = SensitivityScore.fromProbabilities(P, Q, R, 1);
        // y = 1: log q_i[1] = ln.5, ln.5, ln.25; log r_i[1] = ln.25, ln.25, ln.25
        // M_label = (2 ln.5 + ln.25)/3 − ln.25 = (2 ln.5 − 2 ln.25)/3 = 2 ln2 / 3 = 0.4620981204
        assertEquals(0.4620981204, s.mLabel(), 1e-10);
    }

    @Test
    void mLabelIsAbsentWhenTheLabelIsUnknown() {
        FeatureScores s = SensitivityScore.fromProbabilities(P, Q, R, null);
        assertNull(s.mLabel());
    }

    @Test
    void mLabelClipsAZeroProbabilityAt1eMinus7() {
        double[][] p = {{0.5, 0.5}, {0.5, 0.5}};
        double[][] q = {{1, 0}, {1, 0}};
        // M_label(y=1) = ln(1e-7) − ln(.5) = −16.1180956510 + 0.6931471806 = −15.4249484704
        FeatureScores s = SensitivityScore.fromProbabilities(p, q, p, 1);
        assertEquals(-15.4249484704, s.mLabel(), 1e-9);
    }

    @Test
    void mProbReportsTheClassWhoseProbabilityRisesMost() {
        FeatureScores s = SensitivityScore.fromProbabilities(P, Q, R, null);
        // q − p: [−.25, .25, 0], [−.25, .25, 0], [0, 0, 0]; mean = [−1/6, 1/6, 0] → max 1/6 at class 1
        assertEquals(1.0 / 6, s.mProbMax(), 1e-12);
        assertEquals(1, s.mProbArgmax());
    }

    @Test
    void pairedTestsRunOnKlDifferences() {
        FeatureScores s = SensitivityScore.fromProbabilities(P, Q, R, null);
        // d = KL(p‖q) − KL(p‖r) = [.25 ln2, 0, 0]; mean = ln2/12, sd = sqrt(((ln2/6)² + 2(ln2/12)²)/2)
        //   = (ln2/12)·sqrt(3), t = (ln2/12) / ((ln2/12)·sqrt(3)/sqrt(3)) = 1
        assertEquals(1.0, s.tStatistic(), 1e-12);
        // df = 2: p = .5 − t/(2 sqrt(2 + t²)) = .5 − 1/(2 sqrt 3) = 0.2113248654
        assertEquals(0.2113248654, s.pValueT(), 1e-9);
        // Wilcoxon drops the two zeros: one positive difference, W+ = 1, P(W+ ≥ 1 | n=1) = 1/2
        assertEquals(1.0, s.wilcoxonWPlus(), 0);
        assertEquals(0.5, s.pValueWilcoxon(), 1e-15);
    }

    @Test
    void flatFloatInputGivesTheSameScores() {
        FeatureScores fromDouble = SensitivityScore.fromProbabilities(P, Q, R, 1);
        FeatureScores fromFloat = SensitivityScore.fromProbabilities(flat(P), flat(Q), flat(R), 3, 3, 1);
        assertEquals(fromDouble.mKl(), fromFloat.mKl(), 1e-7);
        assertEquals(fromDouble.mLabel(), fromFloat.mLabel(), 1e-7);
        assertEquals(fromDouble.mProbMax(), fromFloat.mProbMax(), 1e-7);
        assertEquals(fromDouble.mProbArgmax(), fromFloat.mProbArgmax());
        assertEquals(fromDouble.pValueT(), fromFloat.pValueT(), 1e-7);
    }

    @Test
    void perImageReductionsGiveTheSameScores() {
        double q = 0.25 * LN2;
        FeatureScores s = SensitivityScore.fromReductions(new double[] {q, q, 0}, new double[] {0, q, 0},
                new double[] {Math.log(.5), Math.log(.5), Math.log(.25)},
                new double[] {Math.log(.25), Math.log(.25), Math.log(.25)},
                new double[] {-1.0 / 6, 1.0 / 6, 0});
        assertEquals(LN2 / 12, s.mKl(), 1e-12);
        assertEquals(2 * LN2 / 3, s.mLabel(), 1e-12);
        assertEquals(1, s.mProbArgmax());
        assertEquals(1.0, s.tStatistic(), 1e-12);
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SensitivityScore.fromProbabilities(P, Q, R, 3));
        assertThrows(IllegalArgumentException.class,
                () -> SensitivityScore.fromReductions(new double[] {1, 2}, new double[] {1, 2},
                        new double[] {1, 2}, null, new double[] {0}));
        assertThrows(IllegalArgumentException.class,
                () -> SensitivityScore.fromReductions(new double[] {1}, new double[] {0}, null, null,
                        new double[] {0}));
        assertThrows(IllegalArgumentException.class,
                () -> SensitivityScore.fromProbabilities(flat(P), flat(Q), new float[8], 3, 3, null));
    }

    private static float[] flat(double[][] m) {
        float[] out = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            for (int c = 0; c < m[i].length; c++) {
                out[i * m[i].length + c] = (float) m[i][c];
            }
        }
        return out;
    }

    @Test
    void aControlsMeansAreBitEqualToItsFullScoresAndCheckedAlike() {
        java.util.Random rnd = new java.util.Random(7);
        int n = 2000;
        double[] klPQ = new double[n];
        double[] klPR = new double[n];
        double[] logQy = new double[n];
        double[] logRy = new double[n];
        for (int i = 0; i < n; i++) {
            klPQ[i] = rnd.nextDouble() * 0.3;
            klPR[i] = rnd.nextDouble() * 0.2;
            logQy[i] = -rnd.nextDouble() * 5;
            logRy[i] = -rnd.nextDouble() * 5;
        }
        double[] delta = {0.01, -0.02, 0.01};
        FeatureScores full = SensitivityScore.fromReductions(klPQ, klPR, logQy, logRy, delta);
        ControlScore control = SensitivityScore.controlFromReductions(klPQ, klPR, logQy, logRy, delta);
        assertEquals(full.mKl(), control.mKl(), 0.0, "the same arithmetic, to the last bit");
        assertEquals(full.mLabel(), control.mLabel(), 0.0);
        assertNull(SensitivityScore.controlFromReductions(klPQ, klPR, null, null, delta).mLabel());

        klPR[5] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SensitivityScore.controlFromReductions(klPQ, klPR, logQy, logRy, delta));
        assertEquals("per-image value 5 is not finite: NaN", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SensitivityScore.controlFromReductions(new double[1],
                new double[1], null, null, delta), "one probe is too few");
        assertThrows(IllegalArgumentException.class, () -> SensitivityScore.controlFromReductions(klPQ, new double[3],
                null, null, delta), "rows differ");
    }
}
