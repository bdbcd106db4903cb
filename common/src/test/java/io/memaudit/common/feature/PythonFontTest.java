package io.memaudit.common.feature;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Python client plants glyphs with its own copy of the font: it must be this one, or canaries would not match. */
class PythonFontTest {
    private static final Pattern ENTRY = Pattern.compile("\"([A-Z0-9])\": \\(\"([01]{5})\", \"([01]{5})\", \"([01]{5})\", \"([01]{5})\", \"([01]{5})\"\\)");

    @Test
    void theClientsFontIsTheJavaFont() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(dir.resolve("clients/python/memaudit_client/glyphs.py"))) {
            dir = dir.getParent();
        }
        Matcher m = ENTRY.matcher(Files.readString(dir.resolve("clients/python/memaudit_client/glyphs.py")));
        Map<Character, String[]> python = new LinkedHashMap<>();
        while (m.find()) {
            python.put(m.group(1).charAt(0), new String[] {m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)});
        }
        assertEquals(Glyphs.characters().length(), python.size(), "one entry per character: " + python.keySet());
        for (char c : Glyphs.characters().toCharArray()) {
            assertArrayEquals(Glyphs.rows(c), python.get(c), "glyph " + c);
        }
    }
}
