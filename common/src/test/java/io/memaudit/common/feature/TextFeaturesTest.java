package io.memaudit.common.feature;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextFeaturesTest {
    private static final TextStyle DEFAULT = TextStyle.defaults();

    @Test
    void janeDoeFitsTwentyEightAndThirtyTwoWideImages() {
        for (int size : new int[] {28, 32}) {
            UniqueFeature uf = TextFeatures.feature("JANE DOE", DEFAULT, size, size);
            assertTrue(uf.width() <= 26, "width " + uf.width());
            assertTrue(uf.height() <= 8, "height " + uf.height());
            assertEquals(1, uf.col());
            assertEquals(size - uf.height() - 1, uf.row());
            uf.validateFits(size, size);
            assertEquals(uf.height() * uf.width(), uf.maskedPixels(), "mask is the whole box");
        }
    }

    @Test
    void patternIsWhiteTextOnABlackBoxWithGreyEdges() {
        float[][] p = TextFeatures.render("JANE DOE", DEFAULT).pattern();
        int white = 0;
        int grey = 0;
        for (float[] line : p) {
            for (float v : line) {
                white += v == 1f ? 1 : 0;
                grey += v > 0f && v < 1f ? 1 : 0;
            }
        }
        assertTrue(white >= 20, "white pixels " + white);
        assertTrue(grey > 0, "antialiasing gives grey levels");
        for (int c = 0; c < p[0].length; c++) {
            assertEquals(0f, p[0][c], 0f, "top margin black");
            assertEquals(0f, p[p.length - 1][c], 0f, "bottom margin black");
        }
        for (float[] line : p) {
            assertEquals(0f, line[0], 0f, "left margin black");
            assertEquals(0f, line[line.length - 1], 0f, "right margin black");
        }
    }

    @Test
    void binaryOptionThresholdsAtHalf() {
        float[][] p = TextFeatures.render("JANE DOE", DEFAULT.withBinary(true)).pattern();
        boolean anyWhite = false;
        for (float[] line : p) {
            for (float v : line) {
                assertTrue(v == 0f || v == 1f, "binary value " + v);
                anyWhite |= v == 1f;
            }
        }
        assertTrue(anyWhite);
    }

    @Test
    void renderingIsDeterministicAndDependsOnTheText() {
        float[][] a = TextFeatures.render("JANE DOE", DEFAULT).pattern();
        float[][] b = TextFeatures.render("JANE DOE", DEFAULT).pattern();
        assertArrayEquals(a, b);
        float[][] other = TextFeatures.renderInBox("JOHN ROE", DEFAULT, a.length, a[0].length,
                TextFeatures.render("JANE DOE", DEFAULT).baseline());
        assertFalse(java.util.Arrays.deepEquals(a, other));
    }

    @Test
    void renderingIntoItsOwnBoxReproducesTheFeature() {
        TextFeatures.Rendering r = TextFeatures.render("JANE DOE", DEFAULT);
        assertArrayEquals(r.pattern(), TextFeatures.renderInBox("JANE DOE", DEFAULT, r.height(), r.width(), r.baseline()));
    }

    @Test
    void tooLongTextIsAnErrorNotShrunk() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextFeatures.feature("JANE DOE", DEFAULT.withSize(9), 28, 28));
        String m = e.getMessage();
        int measured = TextFeatures.render("JANE DOE", DEFAULT.withSize(9)).width();
        assertTrue(measured > 28);
        assertTrue(m.contains("JANE DOE") && m.contains(measured + " px wide") && m.contains("28 px wide"), m);
    }

    @Test
    void controlHasTheFeaturesExactBoxAndPosition() {
        UniqueFeature uf = TextFeatures.feature("JANE DOE", DEFAULT, 28, 28);
        UniqueFeature longName = TextFeatures.control(uf, "MAXIMILIAN WOLFGANG");
        UniqueFeature shortName = TextFeatures.control(uf, "AL");
        for (UniqueFeature c : new UniqueFeature[] {longName, shortName}) {
            assertEquals(uf.height(), c.height());
            assertEquals(uf.width(), c.width());
            assertEquals(uf.row(), c.row());
            assertEquals(uf.col(), c.col());
            assertEquals(FeatureKind.TEXT, c.kind());
        }
        assertEquals("text:AL", shortName.id());
        float[][] p = shortName.pattern();
        assertEquals(0f, p[p.length / 2][p[0].length - 2], 0f, "short name leaves the right of the box black");
        assertEquals(shortName, FeatureSpec.parse(shortName.toSpecString()).resolve(28, 28));
    }

    @Test
    void blankTextAndUnknownFontAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TextFeatures.feature("   ", DEFAULT, 28, 28));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextFeatures.render("JANE DOE", DEFAULT.withFont("No Such Font 123")));
        assertTrue(e.getMessage().contains("No Such Font 123"), e.getMessage());
    }
}
