package io.memaudit.common.feature;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PatchTransformTest {
    private static final float[][] SQUARE = {{1, 2}, {3, 4}};

    @Test
    void symmetriesMoveValuesAsNamed() {
        assertArrayEquals(new float[][] {{3, 1}, {4, 2}}, apply("rot90:0:0", SQUARE), "clockwise");
        assertArrayEquals(new float[][] {{2, 4}, {1, 3}}, apply("rot270:0:0", SQUARE));
        assertArrayEquals(new float[][] {{4, 3}, {2, 1}}, apply("rot180:0:0", SQUARE));
        assertArrayEquals(new float[][] {{1, 3}, {2, 4}}, apply("transpose:0:0", SQUARE));
        assertArrayEquals(new float[][] {{4, 2}, {3, 1}}, apply("antitranspose:0:0", SQUARE));
        assertArrayEquals(new float[][] {{2, 1}, {4, 3}}, apply("fliph:0:0", SQUARE));
        assertArrayEquals(new float[][] {{3, 4}, {1, 2}}, apply("flipv:0:0", SQUARE));
    }

    @Test
    void shiftIsCircularAndAppliedAfterTheSymmetry() {
        float[][] row = {{1, 2, 3}};
        assertArrayEquals(new float[][] {{2, 3, 1}}, apply("id:0:1", row));
        assertArrayEquals(new float[][] {{2, 1, 3}}, apply("fliph:0:1", row));
    }

    @Test
    void eightSymmetriesOfASquareAreDistinct() {
        float[][] p = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
        Set<String> seen = new HashSet<>();
        for (PatchTransform.Op op : PatchTransform.Op.values()) {
            seen.add(java.util.Arrays.deepToString(new PatchTransform(op, 0, 0).apply(p)));
        }
        assertEquals(8, seen.size());
    }

    @Test
    void candidatesSkipTheIdentityAndSquareOnlyOpsOnRectangles() {
        assertEquals(4 * 25 - 1, PatchTransform.candidates(7, 26).size());
        assertEquals(8 * 25 - 1, PatchTransform.candidates(5, 5).size());
        assertTrue(PatchTransform.candidates(7, 26).stream().noneMatch(t -> t.op().ordinal() >= 4));
    }

    @Test
    void parsesWhatItWritesAndRejectsJunk() {
        PatchTransform t = new PatchTransform(PatchTransform.Op.FLIPH, 2, 5);
        assertEquals("fliph:2:5", t.toString());
        assertEquals(t, PatchTransform.parse("FlipH:2:5"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PatchTransform.parse("spin:1:2"));
        assertTrue(e.getMessage().contains("spin:1:2") && e.getMessage().contains("ROT90"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PatchTransform(PatchTransform.Op.ROT90, 0, 0)
                .apply(new float[][] {{1, 2}}));
    }

    private static float[][] apply(String t, float[][] p) {
        return PatchTransform.parse(t).apply(p);
    }
}
