package io.memaudit.common.score;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CalibrationTest {

    @Test
    void rankIsOneWhenTheFeatureOutscoresEveryControl() {
        assertEquals(1, Calibration.rank(0.5, new double[] {0.1, 0.2, 0.3}));
        assertEquals(4, Calibration.rank(0.0, new double[] {0.1, 0.2, 0.3}));
    }

    @Test
    void tiedControlsRankAboveTheFeature() {
        // controls .5 (tie) and .7 rank above .5 → rank 3; .1 below
        assertEquals(3, Calibration.rank(0.5, new double[] {0.1, 0.5, 0.7}));
        // a single tie is enough to lose rank 1
        assertEquals(2, Calibration.rank(0.5, new double[] {0.5, 0.1}));
    }

    @Test
    void exposureIsLog2OfControlsPlusOneAtTheTopAndZeroAtTheBottom() {
        // K = 25: rank 1 → log2 26 = 4.7004397181; rank 26 → log2 26 − log2 26 = 0
        assertEquals(4.7004397181, Calibration.exposure(1, 25), 1e-10);
        assertEquals(0.0, Calibration.exposure(26, 25), 1e-12);
        // K = 3, rank 2: log2 4 − log2 2 = 1
        assertEquals(1.0, Calibration.exposure(2, 3), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Calibration.exposure(27, 25));
    }

    @Test
    void zUsesTheSampleStandardDeviation() {
        // controls [1, 2, 3]: mean 2, sample sd = sqrt((1 + 0 + 1)/2) = 1 → z(4) = 2
        // (population sd sqrt(2/3) would give 2.449)
        CalibratedScore c = Calibration.calibrate(4, new double[] {1, 2, 3});
        assertEquals(2.0, c.z(), 1e-12);
        assertEquals(1, c.rank());
        assertEquals(3, c.controls());
        assertEquals(2.0, c.exposure(), 1e-12); // log2 4 − log2 1
        assertEquals(4.0, c.value());
    }

    @Test
    void zWithoutSpreadIsSignedInfinityOrZero() {
        // 0.1 is inexact in binary: the rounded mean differs from 0.1, which must not leak into z
        double[] flat = {0.1, 0.1, 0.1};
        assertEquals(Double.POSITIVE_INFINITY, Calibration.z(0.2, flat));
        assertEquals(Double.NEGATIVE_INFINITY, Calibration.z(0, flat));
        assertEquals(0.0, Calibration.z(0.1, flat));
    }

    @Test
    void calibrationNeedsTwoFiniteControls() {
        assertThrows(IllegalArgumentException.class, () -> Calibration.calibrate(1, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> Calibration.calibrate(1, new double[] {0, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> Calibration.calibrate(Double.NaN, new double[] {0, 1}));
    }
}
