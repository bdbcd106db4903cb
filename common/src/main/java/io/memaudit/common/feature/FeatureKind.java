package io.memaudit.common.feature;

import java.util.Arrays;
import java.util.Locale;

/** What a unique feature is made of; {@link #prefix()} is its name in a feature spec string. */
public enum FeatureKind {
    /** A small binary bitmap from {@link Glyphs}, e.g. the authors' 5×5 capital A. */
    GLYPH,
    /** A name rendered with Java2D by {@link TextFeatures}. */
    TEXT,
    /** A patch read from a PNG by {@link ImageFeatures}. */
    IMAGE;

    /** The spec prefix: {@code glyph}, {@code text} or {@code image}. */
    public String prefix() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind whose prefix is {@code prefix}, or an error listing the allowed prefixes. */
    public static FeatureKind fromPrefix(String prefix, String spec) {
        for (FeatureKind k : values()) {
            if (k.prefix().equals(prefix)) {
                return k;
            }
        }
        throw new IllegalArgumentException("feature spec '" + spec + "': unknown kind '" + prefix
                + "', allowed: " + Arrays.toString(Arrays.stream(values()).map(FeatureKind::prefix).toArray()));
    }
}
