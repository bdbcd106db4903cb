package io.memaudit.common.feature;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FeatureScaleTest {
    @Test
    void defaultKeepsTheFeaturesShareOfTheImage() {
        assertEquals(1, FeatureScale.defaultFor(FeatureKind.GLYPH, 28, 28));
        assertEquals(1, FeatureScale.defaultFor(FeatureKind.GLYPH, 32, 32));
        assertEquals(8, FeatureScale.defaultFor(FeatureKind.GLYPH, 224, 224));
        assertEquals(4, FeatureScale.defaultFor(FeatureKind.TEXT, 128, 512));
        assertEquals(1, FeatureScale.defaultFor(FeatureKind.IMAGE, 224, 224), "image patches keep their own size");
    }

    @Test
    void everyGlyphPixelBecomesABlockAndTheExplicitPositionStays() {
        UniqueFeature a = FeatureSpec.parse("glyph:A@10,20").resolve(224, 224);
        UniqueFeature big = FeatureScale.apply(a, 8, 224, true);
        assertEquals(40, big.height());
        assertEquals(40, big.width());
        assertEquals(10, big.row());
        assertEquals(20, big.col());
        for (int r = 0; r < 40; r++) {
            for (int c = 0; c < 40; c++) {
                assertEquals(a.patternAt(r / 8, c / 8), big.patternAt(r, c), "pixel " + r + "," + c);
            }
        }
        assertEquals(a.id(), big.id());
    }

    @Test
    void defaultTextPositionIsRecomputedForTheScaledSize() {
        UniqueFeature t = FeatureSpec.parse("text:JO").resolve(224, 224);
        UniqueFeature big = FeatureScale.apply(t, 4, 224, false);
        assertEquals(224 - big.height() - 1, big.row(), "bottom edge one pixel above the image's");
    }

    @Test
    void imageFeaturesAndOutOfRangeScalesAreRefused() {
        UniqueFeature g = FeatureSpec.parse("glyph:B").resolve(28, 28);
        assertThrows(IllegalArgumentException.class, () -> FeatureScale.apply(g, 0, 28, false));
        assertThrows(IllegalArgumentException.class, () -> FeatureScale.apply(g, 65, 28, false));
    }

    @Test
    void upsampledRandomPatchesHaveTheBlockStructure() {
        float[][] p = {{1, 0}, {0, 1}};
        float[][] up = FeatureScale.upsample(p, 3);
        assertEquals(6, up.length);
        assertEquals(1f, up[2][2]);
        assertEquals(0f, up[2][3]);
        assertEquals(1f, up[5][5]);
    }
}
