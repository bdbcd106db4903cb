package io.memaudit.common.score;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DivergencesTest {
    private static final double LN2 = Math.log(2);
    // KL([.5,.5]‖[.25,.75]) = .5 ln(.5/.25) + .5 ln(.5/.75) = .5 ln2 + .5 ln(2/3) = .5 ln(4/3) = 0.1438410362
    private static final double A = 0.1438410362;
    // KL([.25,.75]‖[.5,.5]) = .25 ln(.5) + .75 ln(1.5) = -0.1732867951 + 0.3040988311 = 0.1308120360
    private static final double B = 0.1308120360;

    @Test
    void klOfTwoClassVectorsMatchesHandValues() {
        assertEquals(A, Divergences.kl(new double[] {0.5, 0.5}, new double[] {0.25, 0.75}), 1e-10);
        assertEquals(B, Divergences.kl(new double[] {0.25, 0.75}, new double[] {0.5, 0.5}), 1e-10);
    }

    @Test
    void klOfThreeClassVectorsMatchesHandValue() {
        // .2 ln(.2/.1) + .3 ln(.3/.6) + .5 ln(.5/.3) = .2 ln2 − .3 ln2 + .5 ln(5/3)
        //   = −0.0693147181 + 0.2554128119 = 0.1860980938
        double kl = Divergences.kl(new double[] {0.2, 0.3, 0.5}, new double[] {0.1, 0.6, 0.3});
        assertEquals(0.1860980938, kl, 1e-10);
    }

    @Test
    void klOfADistributionWithItselfIsZero() {
        double[] a = {0.1, 0.2, 0.7};
        assertEquals(0.0, Divergences.kl(a, a), 1e-15);
    }

    @Test
    void zeroInTheFirstArgumentIsClippedNotDropped() {
        // KL([1,0]‖[.5,.5]) = 1·ln(1/.5) + 1e-7·ln(1e-7/.5) = ln2 + 1e-7·ln(2e-7)
        //   = 0.6931471806 − 1.5425e-6 = 0.6931456381 (a dropped zero term would give ln2 exactly)
        double kl = Divergences.kl(new double[] {1, 0}, new double[] {0.5, 0.5});
        assertEquals(LN2 + 1e-7 * Math.log(2e-7), kl, 1e-13);
        assertEquals(0.6931456381, kl, 1e-10);
    }

    @Test
    void zeroInTheSecondArgumentGivesAFiniteDivergence() {
        // KL([.5,.5]‖[1,0]) = .5 ln(.5/1) + .5 ln(.5/1e-7) = .5 ln(2.5e6) = 7.3659006449
        double kl = Divergences.kl(new double[] {0.5, 0.5}, new double[] {1, 0});
        assertTrue(Double.isFinite(kl));
        assertEquals(7.3659006449, kl, 1e-9);
    }

    @Test
    void perImageKlOfMatricesAndFlatFloatsAgree() {
        double[][] p = {{0.5, 0.5}, {0.25, 0.75}};
        double[][] q = {{0.25, 0.75}, {0.5, 0.5}};
        assertArrayEquals(new double[] {A, B}, Divergences.klPerImage(p, q), 1e-10);
        float[] pf = {0.5f, 0.5f, 0.25f, 0.75f};
        float[] qf = {0.25f, 0.75f, 0.5f, 0.5f};
        assertArrayEquals(new double[] {A, B}, Divergences.klPerImage(pf, qf, 2, 2), 1e-10);
    }

    @Test
    void mismatchedShapesAreRejectedWithTheShape() {
        assertThrows(IllegalArgumentException.class,
                () -> Divergences.kl(new double[] {0.5, 0.5}, new double[] {1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Divergences.klPerImage(new float[5], new float[6], 3, 2));
        assertTrue(e.getMessage().contains("3×2"), e.getMessage());
    }
}
