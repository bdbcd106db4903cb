package io.memaudit.common.feature;

import java.util.Arrays;
import java.util.Objects;

/**
 * The description of a unique feature, parsed from and written to a string:
 * <pre>
 *   glyph:A                          5×5 glyph, default position (1,1)
 *   glyph:A@1,1                      explicit top-left row,col
 *   glyph:#1151f11                   any 5×5 pattern: 25 bits in hex, row-major, top-left = bit 24
 *                                    (how random glyph controls are stored)
 *   text:JANE DOE                    default style (SansSerif 5), default position: col 1,
 *                                    bottom edge one pixel above the image's
 *   text:JANE DOE@20,1
 *   text:JANE DOE;font=Monospaced;size=9;bold;binary
 *   text:JOHN ROE;box=7x26;baseline=5   rendered into a fixed box (how text controls are stored)
 *   image:/data/p.png;mask=/data/m.png@3,4   default position (1,1)
 *   image:/data/p.png;transform=fliph:0:3     a transformed patch (how image controls are stored)
 * </pre>
 * The position is whatever follows the LAST '@'; ';' separates options. A text or path therefore
 * cannot contain '@' or ';'. {@link #toSpecString()} writes every text style field, so a stored
 * spec keeps its meaning if defaults change; {@code parse(s.toSpecString())} equals {@code s}.
 */
public final class FeatureSpec {
    /** Default top-left position of glyph and image features. */
    public static final int DEFAULT_ROW = 1;
    public static final int DEFAULT_COL = 1;

    private final FeatureKind kind;
    private final String subject;
    private final TextStyle style;
    private final String maskUri;
    private final int[] box;
    private final PatchTransform transform;
    private final int[] position;

    private FeatureSpec(FeatureKind kind, String subject, TextStyle style, String maskUri, int[] box,
                        PatchTransform transform, int[] position) {
        this.kind = kind;
        this.subject = subject;
        this.style = style;
        this.maskUri = maskUri;
        this.box = box;
        this.transform = transform;
        this.position = position;
    }

    /** A glyph of the 5×5 font. */
    public static FeatureSpec glyph(char letter) {
        if (!Glyphs.has(letter)) {
            throw new IllegalArgumentException("glyph '" + letter + "' is not in the 5x5 font; allowed: A-Z, 0-9");
        }
        return new FeatureSpec(FeatureKind.GLYPH, String.valueOf(letter), null, null, null, null, null);
    }

    /** Any 5×5 pattern as a glyph: 25 bits, row-major, the top-left pixel in bit 24; at least one lit. */
    public static FeatureSpec glyphPattern(int bits) {
        if (bits <= 0 || bits >= 1 << 25) {
            throw new IllegalArgumentException("glyph pattern #" + Integer.toHexString(bits) + " must have 1 to 25 bits set within 25 bits");
        }
        return new FeatureSpec(FeatureKind.GLYPH, String.format("#%07x", bits), null, null, null, null, null);
    }

    /** A rendered text; leading and trailing blanks are removed. */
    public static FeatureSpec text(String text, TextStyle style) {
        String t = Objects.requireNonNull(text, "text").strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("text feature: text is empty");
        }
        checkNoSeparators("text", t);
        return new FeatureSpec(FeatureKind.TEXT, t, Objects.requireNonNull(style, "style"), null, null, null, null);
    }

    /** A PNG patch; {@code maskUri} may be null (mask from the alpha channel, or full). */
    public static FeatureSpec image(String imageUri, String maskUri) {
        String img = Objects.requireNonNull(imageUri, "image uri").strip();
        if (img.isEmpty()) {
            throw new IllegalArgumentException("image feature: image path is empty");
        }
        checkNoSeparators("image path", img);
        String mask = maskUri == null || maskUri.isBlank() ? null : maskUri.strip();
        if (mask != null) {
            checkNoSeparators("mask path", mask);
        }
        return new FeatureSpec(FeatureKind.IMAGE, img, null, mask, null, null, null);
    }

    /** Parses a spec string; see the class comment for the grammar. */
    public static FeatureSpec parse(String spec) {
        return FeatureSpecParser.parse(spec);
    }

    public FeatureSpec withPosition(int row, int col) {
        if (row < 0 || col < 0) {
            throw new IllegalArgumentException("feature " + id() + ": position (" + row + "," + col
                    + ") must not be negative");
        }
        return new FeatureSpec(kind, subject, style, maskUri, box, transform, new int[] {row, col});
    }

    /** The same spec without a position (defaults apply when resolved). */
    public FeatureSpec withoutPosition() {
        return new FeatureSpec(kind, subject, style, maskUri, box, transform, null);
    }

    /** A text spec rendered into a fixed h×w box with the baseline at row {@code baseline}. */
    public FeatureSpec withBox(int h, int w, int baseline) {
        if (kind != FeatureKind.TEXT) {
            throw new IllegalArgumentException("feature " + id() + ": only text features have a box");
        }
        if (h <= 0 || w <= 0 || baseline < 0 || baseline >= h) {
            throw new IllegalArgumentException("feature " + id() + ": box " + h + "x" + w + " with baseline "
                    + baseline + " is invalid; need h, w > 0 and 0 <= baseline < h");
        }
        return new FeatureSpec(kind, subject, style, maskUri, new int[] {h, w, baseline}, transform, position);
    }

    /** An image spec whose patch is transformed by {@code t} (the mask is not). */
    public FeatureSpec withTransform(PatchTransform t) {
        if (kind != FeatureKind.IMAGE) {
            throw new IllegalArgumentException("feature " + id() + ": only image features have a transform");
        }
        return new FeatureSpec(kind, subject, style, maskUri, box, Objects.requireNonNull(t, "transform"), position);
    }

    /**
     * Builds the feature for an imageH×imageW image: renders or reads it, applies the default
     * position when none was given and checks that it fits.
     */
    public UniqueFeature resolve(int imageH, int imageW) {
        UniqueFeature uf;
        switch (kind) {
            case GLYPH:
                uf = Glyphs.feature(this, rowOr(DEFAULT_ROW), colOr(DEFAULT_COL));
                break;
            case TEXT:
                return TextFeatures.feature(this, imageH, imageW);
            default:
                uf = ImageFeatures.feature(this, rowOr(DEFAULT_ROW), colOr(DEFAULT_COL));
                break;
        }
        uf.validateFits(imageH, imageW);
        return uf;
    }

    /** The spec as a string that {@link #parse} reads back to an equal spec. */
    public String toSpecString() {
        StringBuilder b = new StringBuilder(kind.prefix()).append(':').append(subject);
        if (style != null) {
            b.append(";font=").append(style.font()).append(";size=").append(style.sizeString());
            b.append(style.bold() ? ";bold" : "").append(style.binary() ? ";binary" : "");
        }
        if (box != null) {
            b.append(";box=").append(box[0]).append('x').append(box[1]).append(";baseline=").append(box[2]);
        }
        if (maskUri != null) {
            b.append(";mask=").append(maskUri);
        }
        if (transform != null) {
            b.append(";transform=").append(transform);
        }
        if (position != null) {
            b.append('@').append(position[0]).append(',').append(position[1]);
        }
        return b.toString();
    }

    /**
     * A short stable name: kind prefix and subject, e.g. {@code text:JANE DOE}; a transformed image
     * adds its transform, e.g. {@code image:p.png#fliph:0:3}.
     */
    public String id() {
        return kind.prefix() + ":" + subject + (transform == null ? "" : "#" + transform);
    }
    public FeatureKind kind() { return kind; }

    /** The glyph letter (glyph specs of the font only; see {@link #isGlyphPattern}). */
    public char letter() {
        requireKind(FeatureKind.GLYPH);
        if (isGlyphPattern()) {
            throw new IllegalStateException("feature " + id() + " is a glyph pattern, not a letter of the font");
        }
        return subject.charAt(0);
    }

    /** True for a glyph given by its bits ({@code glyph:#…}) rather than a letter of the font. */
    public boolean isGlyphPattern() {
        return kind == FeatureKind.GLYPH && subject.startsWith("#");
    }

    /** The 25 bits of a glyph pattern (glyph pattern specs only). */
    public int glyphBits() {
        requireKind(FeatureKind.GLYPH);
        if (!isGlyphPattern()) {
            throw new IllegalStateException("feature " + id() + " is a letter of the font, not a glyph pattern");
        }
        return Integer.parseInt(subject.substring(1), 16);
    }

    /** The text (text specs only). */
    public String text() {
        requireKind(FeatureKind.TEXT);
        return subject;
    }

    /** The text style (text specs only). */
    public TextStyle style() {
        requireKind(FeatureKind.TEXT);
        return style;
    }

    /** The image path or file: URI (image specs only). */
    public String imageUri() {
        requireKind(FeatureKind.IMAGE);
        return subject;
    }

    /** The mask path or file: URI, or null (image specs only). */
    public String maskUri() {
        requireKind(FeatureKind.IMAGE);
        return maskUri;
    }

    /** The patch transform, or null (image specs only). */
    public PatchTransform transform() {
        requireKind(FeatureKind.IMAGE);
        return transform;
    }

    public boolean hasBox() { return box != null; }
    public int boxHeight() { return requireBox()[0]; }
    public int boxWidth() { return requireBox()[1]; }
    public int baseline() { return requireBox()[2]; }
    public boolean hasPosition() { return position != null; }
    public int row() { return requirePosition()[0]; }
    public int col() { return requirePosition()[1]; }

    private int rowOr(int fallback) { return position == null ? fallback : position[0]; }
    private int colOr(int fallback) { return position == null ? fallback : position[1]; }

    private int[] requireBox() {
        if (box == null) {
            throw new IllegalStateException("feature " + id() + " has no fixed box");
        }
        return box;
    }

    private int[] requirePosition() {
        if (position == null) {
            throw new IllegalStateException("feature " + id() + " has no position; resolve it for an image size");
        }
        return position;
    }

    private void requireKind(FeatureKind expected) {
        if (kind != expected) {
            throw new IllegalStateException("feature " + id() + " is not a " + expected.prefix() + " feature");
        }
    }

    private static void checkNoSeparators(String what, String value) {
        if (value.indexOf('@') >= 0 || value.indexOf(';') >= 0) {
            throw new IllegalArgumentException(what + " '" + value + "' must not contain '@' or ';' "
                    + "(they separate the position and the options in a feature spec)");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FeatureSpec)) {
            return false;
        }
        FeatureSpec s = (FeatureSpec) o;
        return kind == s.kind && subject.equals(s.subject) && Objects.equals(style, s.style)
                && Objects.equals(maskUri, s.maskUri) && Arrays.equals(box, s.box) && Objects.equals(transform, s.transform)
                && Arrays.equals(position, s.position);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, subject, style, maskUri, transform, Arrays.hashCode(box),
                Arrays.hashCode(position));
    }

    @Override
    public String toString() {
        return toSpecString();
    }
}
