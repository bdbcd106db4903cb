package io.memaudit.common.feature;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomPatchesTest {
    @Test
    void sameSeedGivesSamePatternsAndPatternIDependsOnlyOnI() {
        float[][][] a = RandomPatches.generate(50, 5, 5, RandomPatches.DEFAULT_SEED);
        float[][][] b = RandomPatches.generate(50, 5, 5, RandomPatches.DEFAULT_SEED);
        assertArrayEquals(a, b);
        float[][][] fewer = RandomPatches.generate(10, 5, 5, RandomPatches.DEFAULT_SEED);
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(a[i], fewer[i], "pattern " + i);
        }
        assertArrayEquals(a[37], RandomPatches.patch(37, 5, 5, RandomPatches.DEFAULT_SEED));
        float[][][] other = RandomPatches.generate(50, 5, 5, RandomPatches.DEFAULT_SEED + 1);
        assertFalse(java.util.Arrays.deepEquals(a, other), "another seed gives other patterns");
    }

    @Test
    void patternsAreBinaryAboutHalfOnesAndDifferFromEachOther() {
        int count = 2000;
        float[][][] p = RandomPatches.generate(count, 7, 26, RandomPatches.DEFAULT_SEED);
        long ones = 0;
        int identicalNeighbours = 0;
        for (int i = 0; i < count; i++) {
            for (float[] line : p[i]) {
                for (float v : line) {
                    assertTrue(v == 0f || v == 1f);
                    ones += (long) v;
                }
            }
            if (i > 0 && java.util.Arrays.deepEquals(p[i], p[i - 1])) {
                identicalNeighbours++;
            }
        }
        double fraction = ones / (double) (count * 7 * 26);
        // 364,000 Bernoulli(0.5) draws: standard error 0.0008; 0.49..0.51 is more than 10 of them
        assertTrue(fraction > 0.49 && fraction < 0.51, "fraction of ones " + fraction);
        assertEquals(0, identicalNeighbours);
    }

    @Test
    void firstPixelIsNotConstantAcrossPatterns() {
        float[][][] p = RandomPatches.generate(200, 5, 5, RandomPatches.DEFAULT_SEED);
        int ones = 0;
        for (float[][] pattern : p) {
            ones += (int) pattern[0][0];
        }
        assertTrue(ones > 60 && ones < 140, "pixel (0,0) is white in " + ones + " of 200 patterns");
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> RandomPatches.generate(3, 0, 5, 1L));
        assertThrows(IllegalArgumentException.class, () -> RandomPatches.generate(-1, 5, 5, 1L));
        assertEquals(0, RandomPatches.generate(0, 5, 5, 1L).length);
    }
}
