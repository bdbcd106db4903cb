package io.memaudit.deploy;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** Heading anchors of a Markdown file, as GitHub and most renderers generate them. */
final class Markdown {
    private Markdown() {
    }

    static Set<String> anchors(String markdown) {
        Set<String> out = new LinkedHashSet<>();
        boolean fenced = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            }
            if (fenced || !line.startsWith("#")) {
                continue;
            }
            String title = line.replaceFirst("^#+\\s*", "").trim();
            out.add(slug(title));
        }
        return out;
    }

    static String slug(String title) {
        String s = title.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "");
        return s.replace(' ', '-');
    }
}
