package io.memaudit.common.feature;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlyphsTest {
    @Test
    void aIsTheAuthorsGlyph() {
        assertArrayEquals(new String[] {"00100", "01010", "11111", "10001", "10001"}, Glyphs.rows('A'));
        float[][] a = Glyphs.bitmap('A');
        assertArrayEquals(new float[] {0, 0, 1, 0, 0}, a[0]);
        assertArrayEquals(new float[] {0, 1, 0, 1, 0}, a[1]);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1}, a[2]);
        assertArrayEquals(new float[] {1, 0, 0, 0, 1}, a[3]);
        assertArrayEquals(new float[] {1, 0, 0, 0, 1}, a[4]);
    }

    @Test
    void allGlyphsAreDistinctFiveByFiveBitmaps() {
        Set<String> seen = new HashSet<>();
        for (char c : Glyphs.characters().toCharArray()) {
            String[] rows = Glyphs.rows(c);
            assertEquals(5, rows.length, "glyph " + c);
            for (String row : rows) {
                assertTrue(row.matches("[01]{5}"), "glyph " + c + " row " + row);
            }
            assertTrue(seen.add(String.join("/", rows)), "glyph " + c + " repeats another glyph");
        }
        assertEquals(36, seen.size());
        assertEquals(26, Glyphs.LETTERS.length());
    }

    @Test
    void glyphFeatureWritesTheFullSquareAtOneOneByDefault() {
        UniqueFeature a = Glyphs.feature('A');
        assertEquals("glyph:A", a.id());
        assertEquals(FeatureKind.GLYPH, a.kind());
        assertEquals(1, a.row());
        assertEquals(1, a.col());
        assertEquals(5, a.height());
        assertEquals(5, a.width());
        assertEquals(25, a.maskedPixels());
        assertEquals("glyph:A@1,1", a.toSpecString());
    }

    @Test
    void unknownGlyphIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Glyphs.feature('a'));
        assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("A-Z"), e.getMessage());
    }
}
