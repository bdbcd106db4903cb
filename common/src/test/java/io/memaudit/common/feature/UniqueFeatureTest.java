package io.memaudit.common.feature;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UniqueFeatureTest {
    private static final int H = 6;
    private static final int W = 6;

    /** An image whose every value is distinct and not 0 or 1: (k + 1) / 1000. */
    private static float[] knownImage(int channels) {
        float[] img = new float[channels * H * W];
        for (int k = 0; k < img.length; k++) {
            img[k] = (k + 1) / 1000f;
        }
        return img;
    }

    @Test
    void glyphInsertionOverwritesExactlyTheSquarePixelByPixel() {
        UniqueFeature a = Glyphs.feature('A', 1, 1);
        float[] img = knownImage(1);
        float[] before = img.clone();
        a.insertInto(img, 0, 1, H, W);
        float[][] bits = Glyphs.bitmap('A');
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < W; c++) {
                boolean inside = r >= 1 && r <= 5 && c >= 1 && c <= 5;
                float expected = inside ? bits[r - 1][c - 1] : before[r * W + c];
                assertEquals(expected, img[r * W + c], 0f, "pixel (" + r + "," + c + ")");
            }
        }
        // row 3 of the image is glyph row 2 = 11111: all white
        for (int c = 1; c <= 5; c++) {
            assertEquals(1f, img[3 * W + c], 0f);
        }
        assertEquals(0f, img[1 * W + 1], 0f, "glyph row 0 starts with a black 0-pixel");
    }

    @Test
    void everyChannelIsWritten() {
        UniqueFeature a = Glyphs.feature('A', 1, 1);
        float[] img = knownImage(3);
        float[] before = img.clone();
        a.insertInto(img, 0, 3, H, W);
        float[][] bits = Glyphs.bitmap('A');
        for (int ch = 0; ch < 3; ch++) {
            for (int r = 0; r < H; r++) {
                for (int c = 0; c < W; c++) {
                    int k = ch * H * W + r * W + c;
                    boolean inside = r >= 1 && r <= 5 && c >= 1 && c <= 5;
                    assertEquals(inside ? bits[r - 1][c - 1] : before[k], img[k], 0f, "ch " + ch + " (" + r + "," + c + ")");
                }
            }
        }
    }

    @Test
    void maskHolesAreLeftUntouched() {
        float[][] pattern = {{1f, 0.5f}, {0.25f, 0f}};
        boolean[][] mask = {{true, false}, {false, true}};
        UniqueFeature uf = new UniqueFeature(FeatureSpec.image("p.png", null), pattern, mask, 2, 3);
        float[] img = knownImage(1);
        float[] before = img.clone();
        uf.insertInto(img, 0, 1, H, W);
        assertEquals(1f, img[2 * W + 3], 0f);
        assertEquals(before[2 * W + 4], img[2 * W + 4], 0f, "hole (0,1) untouched");
        assertEquals(before[3 * W + 3], img[3 * W + 3], 0f, "hole (1,0) untouched");
        assertEquals(0f, img[3 * W + 4], 0f);
        int changed = 0;
        for (int k = 0; k < img.length; k++) {
            changed += img[k] != before[k] ? 1 : 0;
        }
        assertEquals(2, changed);
    }

    @Test
    void insertsAtAnOffsetInABatchWithoutTouchingNeighbours() {
        int per = 2 * H * W;
        float[] batch = new float[3 * per];
        java.util.Arrays.fill(batch, 0.5f);
        Glyphs.feature('T', 0, 0).insertInto(batch, per, 2, H, W);
        for (int k = 0; k < per; k++) {
            assertEquals(0.5f, batch[k], 0f, "image 0 untouched");
            assertEquals(0.5f, batch[2 * per + k], 0f, "image 2 untouched");
        }
        for (int ch = 0; ch < 2; ch++) {
            int base = per + ch * H * W;
            for (int c = 0; c < 5; c++) {
                assertEquals(1f, batch[base + c], 0f, "T's top bar, channel " + ch);
            }
            assertEquals(0.5f, batch[base + 5], 0f, "column 5 is outside the glyph");
            assertEquals(0f, batch[base + W], 0f, "T row 1 starts black");
        }
    }

    @Test
    void controlPatternGoesThroughTheSameMaskAndPosition() {
        UniqueFeature a = Glyphs.feature('A', 1, 1);
        float[][] ones = new float[5][5];
        for (float[] line : ones) {
            java.util.Arrays.fill(line, 1f);
        }
        float[] img = new float[H * W];
        a.insertControlInto(ones, img, 0, 1, H, W);
        float[] viaStatic = new float[H * W];
        UniqueFeature.insertPattern(ones, a.mask(), 1, 1, viaStatic, 0, 1, H, W);
        assertArrayEquals(viaStatic, img);
        assertEquals(25f, sum(img), 0f);
        assertEquals(0f, img[0], 0f);
    }

    @Test
    void outsideOrTooLargeIsRejectedWithTheNumbers() {
        UniqueFeature a = Glyphs.feature('A', 2, 3);
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> a.validateFits(6, 6));
        assertTrue(outside.getMessage().contains("glyph:A"), outside.getMessage());
        assertTrue(outside.getMessage().contains("5x5"), outside.getMessage());
        assertTrue(outside.getMessage().contains("row 2, col 3"), outside.getMessage());
        assertTrue(outside.getMessage().contains("6x6"), outside.getMessage());

        IllegalArgumentException large = assertThrows(IllegalArgumentException.class,
                () -> Glyphs.feature('A', 0, 0).validateFits(4, 28));
        assertTrue(large.getMessage().contains("larger than the 4x28 image"), large.getMessage());

        assertThrows(IllegalArgumentException.class, () -> a.insertInto(new float[36], 0, 1, 6, 6));
        a.validateFits(7, 8);
        a.withPosition(1, 1).validateFits(6, 6);
    }

    @Test
    void rejectsShortArraysBadShapesAndValuesOutsideUnitRange() {
        UniqueFeature a = Glyphs.feature('A');
        IllegalArgumentException shortArray = assertThrows(IllegalArgumentException.class,
                () -> a.insertInto(new float[36], 1, 1, 6, 6));
        assertTrue(shortArray.getMessage().contains("37"), shortArray.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new UniqueFeature(FeatureSpec.glyph('A'),
                new float[][] {{1f, 0f}}, new boolean[][] {{true}}, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new UniqueFeature(FeatureSpec.glyph('A'),
                new float[][] {{1.5f}}, new boolean[][] {{true}}, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> a.withPosition(-1, 0));
    }

    @Test
    void isImmutable() {
        UniqueFeature a = Glyphs.feature('A');
        a.pattern()[0][0] = 0.7f;
        a.mask()[0][0] = false;
        assertEquals(0f, a.patternAt(0, 0), 0f);
        assertTrue(a.maskedAt(0, 0));
        assertEquals(25, a.maskedPixels());
    }

    private static float sum(float[] a) {
        float s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
