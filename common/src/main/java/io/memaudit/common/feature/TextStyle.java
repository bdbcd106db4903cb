package io.memaudit.common.feature;

import java.util.Objects;

/**
 * How a text feature is drawn: a Java2D font name (logical, e.g. {@code SansSerif}, or an installed
 * family or face), a size in points (= pixels at 72 dpi), bold or plain, and whether the
 * antialiased grey levels are thresholded at 0.5 to a binary pattern.
 *
 * <p>The pattern depends on the fonts installed on the machine: the trainer and the auditor must
 * render with the same fonts (same container image) to see the same feature.
 */
public record TextStyle(String font, float size, boolean bold, boolean binary) {
    /** The default font: the logical SansSerif (DejaVu Sans on Debian), plain. */
    public static final String DEFAULT_FONT = "SansSerif";
    /** The default size: "JANE DOE" measures 24×5 px of ink, 26×7 px with its black margin. */
    public static final float DEFAULT_SIZE = 5f;
    /** Upper bound on the size, far above anything that fits a 32×32 image. */
    public static final float MAX_SIZE = 256f;

    public TextStyle {
        Objects.requireNonNull(font, "font");
        if (font.isBlank()) {
            throw new IllegalArgumentException("text style: font name is empty");
        }
        if (font.matches(".*[;@=].*")) {
            throw new IllegalArgumentException("text style: font name '" + font + "' must not contain ';', '@' or '='");
        }
        if (!(size > 0f && size <= MAX_SIZE)) {
            throw new IllegalArgumentException("text style: size " + size + " must be in (0, " + MAX_SIZE + "]");
        }
    }

    /** SansSerif, size 5, plain, antialiased grey levels. */
    public static TextStyle defaults() {
        return new TextStyle(DEFAULT_FONT, DEFAULT_SIZE, false, false);
    }

    public TextStyle withFont(String newFont) { return new TextStyle(newFont, size, bold, binary); }
    public TextStyle withSize(float newSize) { return new TextStyle(font, newSize, bold, binary); }
    public TextStyle withBold(boolean newBold) { return new TextStyle(font, size, newBold, binary); }
    public TextStyle withBinary(boolean newBinary) { return new TextStyle(font, size, bold, newBinary); }

    /** The size without a trailing ".0" when whole, e.g. "5" or "5.5". */
    public String sizeString() {
        return size == Math.rint(size) ? Integer.toString((int) size) : Float.toString(size);
    }

    @Override
    public String toString() {
        return font + " " + sizeString() + (bold ? " bold" : "") + (binary ? " binary" : "");
    }
}
