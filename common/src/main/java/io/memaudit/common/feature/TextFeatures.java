package io.memaudit.common.feature;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Renders a name (e.g. "JANE DOE") with Java2D into a grey pattern: white text on a black box.
 *
 * <p>The box is the text's ink bounds (every pixel the antialiased text touches) plus a
 * {@value #MARGIN}-pixel black margin on each side; the mask is the whole box. With the default
 * style (SansSerif 5, plain) "JANE DOE" is 7×26 pixels, so it fits 28×28 and 32×32 images at
 * column 1. A text that does not fit the image at the requested size is an error; it is never
 * shrunk silently. Rendering is deterministic: same text, font and size give the same pattern.
 *
 * <p>Controls are rendered into a box of exactly the feature's h×w, left-aligned at the margin with
 * the feature's baseline, and clipped where longer, so they have the feature's shape.
 */
public final class TextFeatures {
    /** Black pixels around the ink on each side. */
    public static final int MARGIN = 1;
    /** Default left column; the default row puts the box one pixel above the bottom edge. */
    public static final int DEFAULT_COL = 1;

    private static final Set<String> LOGICAL_FONTS = Set.of("dialog", "dialoginput", "serif", "sansserif", "monospaced");
    private static Set<String> installedFonts;

    /** A rendered text: the pattern (box with margin) and the row of its baseline in the box. */
    public record Rendering(float[][] pattern, int baseline) {
        public int height() { return pattern.length; }
        public int width() { return pattern[0].length; }
    }

    private TextFeatures() {
    }

    /** Renders {@code text} into its own box: ink bounds plus the margin. */
    public static Rendering render(String text, TextStyle style) {
        Canvas canvas = Canvas.draw(text, style);
        int[] ink = canvas.inkBounds(text, style);
        int top = ink[0] - MARGIN;
        int left = ink[1] - MARGIN;
        int h = ink[2] - ink[0] + 1 + 2 * MARGIN;
        int w = ink[3] - ink[1] + 1 + 2 * MARGIN;
        return new Rendering(canvas.crop(top, left, h, w), canvas.originY - top);
    }

    /**
     * Renders {@code text} into an h×w box with its baseline at row {@code baseline} of the box and
     * its ink starting at column {@value #MARGIN}; what does not fit is clipped.
     */
    public static float[][] renderInBox(String text, TextStyle style, int h, int w, int baseline) {
        if (h <= 0 || w <= 0) {
            throw new IllegalArgumentException("text box must be positive, got " + h + "x" + w);
        }
        Canvas canvas = Canvas.draw(text, style);
        int[] ink = canvas.inkBounds(text, style);
        return canvas.crop(canvas.originY - baseline, ink[1] - MARGIN, h, w);
    }

    /** The text feature at the default position: column 1, bottom edge one pixel above the image's. */
    public static UniqueFeature feature(String text, TextStyle style, int imageH, int imageW) {
        return feature(FeatureSpec.text(text, style), imageH, imageW);
    }

    /**
     * Builds a text feature from its spec for an imageH×imageW image: renders it (into the spec's box
     * when it has one), checks that it fits and places it at the spec's position or the default.
     */
    public static UniqueFeature feature(FeatureSpec spec, int imageH, int imageW) {
        String text = spec.text();
        TextStyle style = spec.style();
        float[][] pattern = spec.hasBox()
                ? renderInBox(text, style, spec.boxHeight(), spec.boxWidth(), spec.baseline())
                : render(text, style).pattern();
        checkFits(text, style, pattern, imageH, imageW);
        int h = pattern.length;
        int w = pattern[0].length;
        int row = spec.hasPosition() ? spec.row() : Math.max(0, imageH - h - 1);
        int col = spec.hasPosition() ? spec.col() : Math.min(DEFAULT_COL, imageW - w);
        UniqueFeature uf = new UniqueFeature(spec, pattern, Patterns.fullMask(h, w), row, col);
        uf.validateFits(imageH, imageW);
        return uf;
    }

    /**
     * A control for a text feature: {@code controlText} in the feature's style, rendered into the
     * feature's exact box (h×w and baseline) at the feature's position.
     */
    public static UniqueFeature control(UniqueFeature uf, String controlText) {
        FeatureSpec spec = uf.spec();
        if (uf.kind() != FeatureKind.TEXT) {
            throw new IllegalArgumentException("text controls need a text feature, got " + uf.id());
        }
        int baseline = spec.hasBox() ? spec.baseline() : render(spec.text(), spec.style()).baseline();
        FeatureSpec controlSpec = FeatureSpec.text(controlText, spec.style())
                .withBox(uf.height(), uf.width(), baseline);
        float[][] pattern = renderInBox(controlText, spec.style(), uf.height(), uf.width(), baseline);
        return new UniqueFeature(controlSpec, pattern, uf.mask(), uf.row(), uf.col());
    }

    private static void checkFits(String text, TextStyle style, float[][] pattern, int imageH, int imageW) {
        int h = pattern.length;
        int w = pattern[0].length;
        if (w > imageW || h > imageH) {
            throw new IllegalArgumentException("text '" + text + "' in " + style + " measures " + w + " px wide and "
                    + h + " px high (with its " + MARGIN + " px margin) but the image is " + imageW
                    + " px wide and " + imageH + " px high; choose a smaller size or a shorter text");
        }
    }

    /** The Java2D font for a style, or an error when the font is neither logical nor installed. */
    static Font toFont(TextStyle style) {
        String name = style.font().toLowerCase(Locale.ROOT);
        if (!LOGICAL_FONTS.contains(name) && !installedFonts().contains(name)) {
            throw new IllegalArgumentException("font '" + style.font() + "' is not installed; use a logical font "
                    + "(Dialog, DialogInput, Serif, SansSerif, Monospaced) or an installed family");
        }
        return new Font(style.font(), style.bold() ? Font.BOLD : Font.PLAIN, 1).deriveFont(style.size());
    }

    private static synchronized Set<String> installedFonts() {
        if (installedFonts == null) {
            GraphicsEnvironment env = GraphicsEnvironment.getLocalGraphicsEnvironment();
            Set<String> names = new HashSet<>();
            for (String family : env.getAvailableFontFamilyNames(Locale.ROOT)) {
                names.add(family.toLowerCase(Locale.ROOT));
            }
            for (Font f : env.getAllFonts()) {
                names.add(f.getFontName(Locale.ROOT).toLowerCase(Locale.ROOT));
            }
            installedFonts = names;
        }
        return installedFonts;
    }

    /** The text drawn white on black on a canvas with room around it, as grey values in [0,1]. */
    private static final class Canvas {
        final float[][] grey;
        final int originY;

        private Canvas(float[][] grey, int originY) {
            this.grey = grey;
            this.originY = originY;
        }

        static Canvas draw(String text, TextStyle style) {
            if (text == null || text.isEmpty()) {
                throw new IllegalArgumentException("text feature: text is empty");
            }
            Font font = toFont(style);
            FontMetrics metrics = metrics(font);
            int pad = (int) Math.ceil(style.size()) + 2 * MARGIN + 2;
            int width = metrics.stringWidth(text) + 2 * pad;
            int originY = pad + metrics.getAscent();
            int height = originY + metrics.getDescent() + pad;
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = image.createGraphics();
            try {
                hints(g);
                g.setColor(Color.WHITE);
                g.setFont(font);
                g.drawString(text, pad, originY);
            } finally {
                g.dispose();
            }
            return new Canvas(toGrey(image.getRaster(), style.binary()), originY);
        }

        private static FontMetrics metrics(Font font) {
            Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY).createGraphics();
            try {
                hints(g);
                return g.getFontMetrics(font);
            } finally {
                g.dispose();
            }
        }

        private static void hints(Graphics2D g) {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        }

        private static float[][] toGrey(Raster raster, boolean binary) {
            float[][] grey = new float[raster.getHeight()][raster.getWidth()];
            for (int y = 0; y < grey.length; y++) {
                for (int x = 0; x < grey[y].length; x++) {
                    float v = raster.getSample(x, y, 0) / 255f;
                    grey[y][x] = binary ? (v >= 0.5f ? 1f : 0f) : v;
                }
            }
            return grey;
        }

        /** {top, left, bottom, right} of the pixels above 0, or an error when there are none. */
        int[] inkBounds(String text, TextStyle style) {
            int top = Integer.MAX_VALUE;
            int left = Integer.MAX_VALUE;
            int bottom = -1;
            int right = -1;
            for (int y = 0; y < grey.length; y++) {
                for (int x = 0; x < grey[y].length; x++) {
                    if (grey[y][x] > 0f) {
                        top = Math.min(top, y);
                        left = Math.min(left, x);
                        bottom = Math.max(bottom, y);
                        right = Math.max(right, x);
                    }
                }
            }
            if (bottom < 0) {
                throw new IllegalArgumentException("text '" + text + "' renders no visible pixels in " + style);
            }
            return new int[] {top, left, bottom, right};
        }

        /** The h×w window with top-left (top, left); pixels outside the canvas are black. */
        float[][] crop(int top, int left, int h, int w) {
            float[][] out = new float[h][w];
            for (int r = 0; r < h; r++) {
                int y = top + r;
                for (int c = 0; c < w; c++) {
                    int x = left + c;
                    boolean inside = y >= 0 && y < grey.length && x >= 0 && x < grey[y].length;
                    out[r][c] = inside ? grey[y][x] : 0f;
                }
            }
            return out;
        }
    }
}
