package io.memaudit.common.feature;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureSpecTest {
    @Test
    void parsesGlyphsWithAndWithoutPosition() {
        FeatureSpec a = FeatureSpec.parse("glyph:A");
        assertEquals(FeatureKind.GLYPH, a.kind());
        assertEquals('A', a.letter());
        assertFalse(a.hasPosition());
        UniqueFeature uf = a.resolve(28, 28);
        assertEquals(1, uf.row());
        assertEquals(1, uf.col());
        UniqueFeature placed = FeatureSpec.parse("glyph:A@3,7").resolve(28, 28);
        assertEquals(3, placed.row());
        assertEquals(7, placed.col());
        assertEquals(Glyphs.feature('A', 3, 7), placed);
    }

    @Test
    void parsesTextWithOptionsAndDefaults() {
        FeatureSpec plain = FeatureSpec.parse("text:JANE DOE");
        assertEquals("JANE DOE", plain.text());
        assertEquals(TextStyle.defaults(), plain.style());
        assertEquals("text:JANE DOE", plain.id());

        FeatureSpec styled = FeatureSpec.parse("text:JANE DOE;font=Monospaced;size=9;binary");
        assertEquals("Monospaced", styled.style().font());
        assertEquals(9f, styled.style().size(), 0f);
        assertTrue(styled.style().binary());
        assertFalse(styled.style().bold());

        FeatureSpec placed = FeatureSpec.parse("text:JANE DOE@20,1");
        assertEquals(20, placed.row());
        assertEquals(1, placed.col());
        UniqueFeature uf = placed.resolve(28, 28);
        assertEquals(FeatureSpec.parse("text:JANE DOE").resolve(28, 28), uf, "default position is (20,1) on 28x28");
    }

    @Test
    void textDefaultPositionFollowsTheImageSize() {
        UniqueFeature on32 = FeatureSpec.parse("text:JANE DOE").resolve(32, 32);
        assertEquals(32 - on32.height() - 1, on32.row());
        assertEquals(1, on32.col());
    }

    @Test
    void parsesImageWithMaskAndPosition() {
        FeatureSpec s = FeatureSpec.parse("image:/path/p.png;mask=/path/m.png@3,4");
        assertEquals(FeatureKind.IMAGE, s.kind());
        assertEquals("/path/p.png", s.imageUri());
        assertEquals("/path/m.png", s.maskUri());
        assertEquals(3, s.row());
        assertEquals(4, s.col());
        assertNull(FeatureSpec.parse("image:p.png").maskUri());
    }

    @Test
    void specStringsRoundTrip() {
        String[] specs = {
            "glyph:A", "glyph:Z@0,22", "text:JANE DOE", "text:JANE DOE@20,1",
            "text:JANE DOE;font=Monospaced;size=9;binary", "text:AL;size=5.5;bold;box=7x26;baseline=5@20,1",
            "image:/path/p.png;mask=/path/m.png@3,4", "image:p.png;transform=fliph:0:3",
        };
        for (String s : specs) {
            FeatureSpec parsed = FeatureSpec.parse(s);
            String written = parsed.toSpecString();
            assertEquals(parsed, FeatureSpec.parse(written), s + " -> " + written);
            assertEquals(written, FeatureSpec.parse(written).toSpecString());
        }
        assertEquals("text:JANE DOE;font=Monospaced;size=9;binary",
                FeatureSpec.parse("text: JANE DOE ; font = Monospaced ; size=9 ; binary").toSpecString());
        UniqueFeature uf = FeatureSpec.parse("text:JANE DOE").resolve(28, 28);
        assertEquals("text:JANE DOE;font=SansSerif;size=5@20,1", uf.toSpecString());
        assertEquals(uf, FeatureSpec.parse(uf.toSpecString()).resolve(28, 28));
    }

    @Test
    void badSpecsNameTheSpecAndWhatIsAllowed() {
        assertError("sticker:A", "unknown kind 'sticker'", "glyph");
        assertError("A", "has no kind", "glyph:A");
        assertError("glyph:a", "'a'", "A-Z");
        assertError("glyph:AB", "'AB'", "A-Z");
        assertError("glyph:A@1", "bad position", "@ROW,COL");
        assertError("glyph:A@x,1", "bad row 'x'", "whole number");
        assertError("glyph:A@1,-2", "bad col '-2'", "whole number");
        assertError("text:", "text is empty");
        assertError("text:   @3,4", "text is empty");
        assertError("text:JANE DOE;colour=red", "unknown text option 'colour=red'", "font=NAME");
        assertError("text:JANE DOE;size=big", "bad size 'big'");
        assertError("text:JANE DOE;size=0", "size 0.0");
        assertError("text:JANE DOE;box=7x26", "box=HxW and baseline=ROW go together");
        assertError("image:p.png;alpha=1", "unknown image option", "mask=PATH");
        assertError("image:;mask=m.png", "image path is empty");
        assertError("", "empty");
    }

    @Test
    void placementOutsideTheImageIsRejectedAtResolve() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureSpec.parse("glyph:A@25,1").resolve(28, 28));
        assertTrue(e.getMessage().contains("row 25") && e.getMessage().contains("28x28"), e.getMessage());
    }

    private static void assertError(String spec, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureSpec.parse(spec));
        String m = e.getMessage();
        assertTrue(m.contains("'" + spec + "'") || spec.isEmpty(), "names the spec: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "'" + f + "' missing from: " + m);
        }
    }
}
