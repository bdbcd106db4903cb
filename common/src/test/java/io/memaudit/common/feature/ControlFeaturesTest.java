package io.memaudit.common.feature;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlFeaturesTest {
    @Test
    void glyphGetsTheOther25LettersAtItsPosition() {
        UniqueFeature a = Glyphs.feature('A', 2, 3);
        List<UniqueFeature> controls = ControlFeatures.controlsFor(a, null, ControlFeatures.LEGACY_K);
        assertEquals(25, controls.size());
        Set<String> ids = new HashSet<>();
        for (UniqueFeature c : controls) {
            assertEquals(2, c.row());
            assertEquals(3, c.col());
            assertEquals(FeatureKind.GLYPH, c.kind());
            assertTrue(Character.isLetter(c.spec().letter()));
            ids.add(c.id());
        }
        assertEquals(25, ids.size());
        assertFalse(ids.contains("glyph:A"));
        assertTrue(ids.contains("glyph:B") && ids.contains("glyph:Z"));
    }

    @Test
    void moreGlyphControlsThanTheFontHoldsAreRandomPatternsWithTheFeaturesLitPixels() {
        UniqueFeature a = Glyphs.feature('A', 2, 3);
        int lit = Glyphs.bits(a.pattern());
        List<UniqueFeature> controls = ControlFeatures.controlsFor(a);
        assertEquals(ControlFeatures.K, controls.size());
        assertEquals(ControlFeatures.controlsFor(a, null, 25), controls.subList(0, 25), "the first 25 are memaudit 0.1's controls");
        Set<Integer> patterns = new HashSet<>();
        patterns.add(lit);
        for (UniqueFeature c : controls) {
            assertTrue(patterns.add(Glyphs.bits(c.pattern())), "distinct from the feature and each other: " + c.id());
            assertEquals(2, c.row());
            assertEquals(3, c.col());
        }
        List<UniqueFeature> random = controls.subList(35, 199);
        for (UniqueFeature c : random) {
            assertTrue(c.spec().isGlyphPattern(), c.id());
            assertEquals(Integer.bitCount(lit), Integer.bitCount(c.spec().glyphBits()), "as many lit pixels as A");
            UniqueFeature parsed = FeatureSpec.parse(c.spec().toSpecString()).resolve(28, 28);
            assertEquals(Glyphs.bits(c.pattern()), Glyphs.bits(parsed.pattern()), "the id is the pattern");
        }
        assertEquals(controls, ControlFeatures.controlsFor(a, null, 199), "the same feature always gets the same controls");
    }

    @Test
    void glyphPatternsRoundTripThroughTheirBits() {
        float[][] a = Glyphs.bitmap('A');
        assertEquals("glyph:#" + String.format("%07x", Glyphs.bits(a)), FeatureSpec.glyphPattern(Glyphs.bits(a)).id());
        assertTrue(java.util.Arrays.deepEquals(a, Glyphs.bitmap(Glyphs.bits(a))));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FeatureSpec.parse("glyph:#zz"));
        assertTrue(e.getMessage().contains("hex"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> FeatureSpec.parse("glyph:#2000000"));
    }

    @Test
    void textGetsTwentyFiveOtherNamesInItsExactBox() {
        UniqueFeature uf = FeatureSpec.parse("text:JOHN ROE").resolve(28, 28);
        List<UniqueFeature> controls = ControlFeatures.controlsFor(uf, null, ControlFeatures.LEGACY_K);
        assertEquals(25, controls.size());
        Set<String> ids = new HashSet<>();
        for (UniqueFeature c : controls) {
            assertEquals(uf.height(), c.height());
            assertEquals(uf.width(), c.width());
            assertEquals(uf.row(), c.row());
            assertEquals(uf.col(), c.col());
            ids.add(c.id());
        }
        assertEquals(25, ids.size());
        assertFalse(ids.contains("text:JOHN ROE"), "the feature's own text is excluded");
        assertTrue(ids.contains("text:JOHN DOE"), "the 26th default name replaces it");
    }

    @Test
    void givenTextControlsAreUsedAllButTheFeaturesOwn() {
        UniqueFeature uf = FeatureSpec.parse("text:JANE DOE").resolve(32, 32);
        List<UniqueFeature> controls = ControlFeatures.controlsFor(uf, List.of("ANNA LEE", "jane doe", "TOM HART"));
        assertEquals(2, controls.size());
        assertEquals("text:ANNA LEE", controls.get(0).id());
        assertEquals("text:TOM HART", controls.get(1).id());
    }

    @Test
    void defaultNamesAreTwentySixDistinctNamesOfEightCharacters() {
        assertEquals(26, new HashSet<>(ControlFeatures.DEFAULT_NAMES).size());
        for (String n : ControlFeatures.DEFAULT_NAMES) {
            assertEquals(8, n.length(), n);
            assertTrue(n.matches("[A-Z]+ [A-Z]+"), n);
        }
    }

    @Test
    void imageGetsTransformedPatchesUnderTheSameMask() {
        float[][] pattern = new float[6][6];
        boolean[][] mask = new boolean[6][6];
        for (int r = 0; r < 6; r++) {
            for (int c = 0; c < 6; c++) {
                pattern[r][c] = (r * 6 + c) / 35f;
                mask[r][c] = (r + c) % 3 != 0;
            }
        }
        UniqueFeature uf = new UniqueFeature(FeatureSpec.image("p.png", null), pattern, mask, 4, 5);
        List<UniqueFeature> controls = ControlFeatures.controlsFor(uf, null, ControlFeatures.LEGACY_K);
        assertEquals(25, controls.size());
        Set<String> ids = new HashSet<>();
        for (UniqueFeature c : controls) {
            assertEquals(uf.row(), c.row());
            assertEquals(uf.col(), c.col());
            assertTrue(java.util.Arrays.deepEquals(mask, c.mask()), "same mask");
            assertFalse(Patterns.equalUnderMask(pattern, c.pattern(), mask), c.id() + " differs from the feature");
            assertTrue(c.id().startsWith("image:p.png#"), c.id());
            ids.add(c.id());
        }
        assertEquals(25, ids.size());
    }

    @Test
    void anImageWithFewerThanTwoDistinctTransformsIsAnInvalidFeatureSayingWhy() {
        float[][] grey = new float[4][4];
        float[][] checkerboard = new float[6][6];
        for (int p = 0; p < 36; p++) {
            checkerboard[p / 6][p % 6] = (p / 6 + p % 6) % 2;
        }
        for (float[][] pattern : List.of(grey, checkerboard)) { // 0 and 1 distinct transforms
            UniqueFeature uf = new UniqueFeature(FeatureSpec.image("flat.png", null), pattern,
                    Patterns.fullMask(pattern.length, pattern.length), 0, 0);
            io.memaudit.common.events.AuditException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.memaudit.common.events.AuditException.class, () -> ControlFeatures.controlsFor(uf));
            assertEquals(io.memaudit.common.events.ErrorKind.FEATURE_INVALID, e.kind());
            assertTrue(e.getMessage().contains("image:flat.png") && e.getMessage().contains("at least 2"), e.getMessage());
        }
    }

    @Test
    void beyondTheDefaultNamesATextGetsRandomStringsOfItsShape() {
        UniqueFeature uf = FeatureSpec.parse("text:JOHN ROE").resolve(28, 28);
        List<UniqueFeature> controls = ControlFeatures.controlsFor(uf);
        assertEquals(ControlFeatures.K, controls.size());
        assertEquals(ControlFeatures.controlsFor(uf, null, 25), controls.subList(0, 25), "the default names come first");
        Set<String> texts = new HashSet<>();
        for (UniqueFeature c : controls.subList(25, controls.size())) {
            String t = c.spec().text();
            assertTrue(t.matches("[A-Z]{4} [A-Z]{3}"), t);
            assertEquals(uf.height(), c.height());
            assertEquals(uf.width(), c.width());
            assertTrue(texts.add(t), "no repeats: " + t);
        }
        assertFalse(texts.contains("JOHN ROE"));
        assertEquals(controls, ControlFeatures.controlsFor(uf), "the same feature always gets the same controls");
        // a one-letter text has only 25 others: fewer than K, never an endless loop
        assertTrue(ControlFeatures.controlsFor(FeatureSpec.parse("text:A").resolve(28, 28)).size() <= 25 + 25);
    }
}
