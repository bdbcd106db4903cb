package io.memaudit.common.feature;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Control features for calibration: features of the audited feature's kind, shape and position that
 * the model never saw. The audited feature's score is ranked among the controls' scores.
 * <ul>
 *   <li>Glyph: the other glyphs of the font in the order A–Z, 0–9, at the same position, up to K.
 *       More than the font holds (35 others): the font's, then random 5×5 patterns with as many lit pixels as the feature ({@code glyph:#…}), drawn from a
 *       generator seeded by the feature's own pattern, so the same feature always gets the same ones.</li>
 *   <li>Text: the given names, or {@link #DEFAULT_NAMES} leaving out the feature's own text and then
 *       random strings of the feature's shape (each letter replaced by a random capital, each digit by
 *       a random digit, spaces and punctuation kept; seeded by the text) up to K, each in the
 *       feature's style rendered into the feature's exact box (h×w and baseline) at its position.</li>
 *   <li>Image: the feature's own patch under {@link PatchTransform}s (grid symmetries followed by
 *       circular shifts on a 5×5 grid of offsets, in {@link PatchTransform#candidates} order) with
 *       the feature's mask unchanged: controls keep the patch's grey levels and local texture but
 *       not its arrangement. Up to {@value #K}; transforms that give the feature itself or an
 *       earlier control under the mask are skipped, so a nearly uniform patch gets fewer.</li>
 * </ul>
 * Text and glyph controls identical to the feature under its mask are skipped as well.
 */
public final class ControlFeatures {
    /**
     * The default number of controls: with K + 1 = 200 the verdict's p-value rank/(K + 1) can reach
     * its 0.01 at ranks 1 and 2 ({@link io.memaudit.common.score.MemorisationRule}); the study measured
     * the rule with this K (docs/REPRODUCTION.md). An image gets at most as many as it has distinct
     * transforms.
     */
    public static final int K = 199;
    /** The number of controls before the run-level verdict (memaudit 0.1): the font's glyphs, the 25 default names. */
    public static final int LEGACY_K = 25;

    /** 26 plausible "FIRST LAST" names of 8 characters, like "JANE DOE"; the first 25 not equal to the feature are used. */
    public static final List<String> DEFAULT_NAMES = List.of(
            "JOHN ROE", "MARY FOX", "ANNA LEE", "MARK COX", "LUKE HAY", "ROSE KAY", "ERIC DAY",
            "LISA RAY", "OMAR ALI", "NINA LOW", "IVAN ORR", "SARA POE", "KATE NYE", "GARY LIM",
            "RYAN TAN", "EMMA GUY", "LEAH SIM", "OWEN ROY", "ALEX REY", "BETH COE", "CARL DIX",
            "TOM HART", "AMY WOOD", "JOE MOSS", "KIM PARK", "JOHN DOE");

    private ControlFeatures() {
    }

    /** Controls with the default names for text features. */
    public static List<UniqueFeature> controlsFor(UniqueFeature uf) {
        return controlsFor(uf, null);
    }

    /** The default number of controls, {@value #K}. */
    public static List<UniqueFeature> controlsFor(UniqueFeature uf, List<String> textControls) {
        return controlsFor(uf, textControls, K);
    }

    /**
     * The controls of {@code uf}.
     *
     * @param textControls names for a text feature (all are used, except the feature's own text);
     *                     null or empty for the first {@code k} of {@link #DEFAULT_NAMES}
     * @param k            how many controls: glyphs get exactly k; texts with the default names and images
     *                     get at most k (there are 25 names; an image has as many as its distinct transforms)
     */
    public static List<UniqueFeature> controlsFor(UniqueFeature uf, List<String> textControls, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("controls = " + k + ": need at least 1 control feature");
        }
        switch (uf.kind()) {
            case GLYPH:
                return glyphControls(uf, k);
            case TEXT:
                boolean defaults = textControls == null || textControls.isEmpty();
                List<UniqueFeature> texts = textControls(uf, defaults ? DEFAULT_NAMES : textControls, defaults ? k : Integer.MAX_VALUE);
                return defaults ? withRandomTexts(uf, texts, k) : texts;
            default:
                return imageControls(uf, k);
        }
    }

    private static List<UniqueFeature> glyphControls(UniqueFeature uf, int k) {
        int own = Glyphs.bits(uf.pattern());
        List<UniqueFeature> out = new ArrayList<>();
        Set<Integer> taken = new java.util.HashSet<>();
        taken.add(own);
        for (char c : Glyphs.characters().toCharArray()) {
            UniqueFeature control = Glyphs.feature(c, uf.row(), uf.col());
            if (taken.add(Glyphs.bits(control.pattern())) && out.size() < k) {
                out.add(control);
            }
        }
        // beyond the font: random patterns with the feature's number of lit pixels (a 5×5 glyph with
        // 5..20 lit pixels has at least 53,130 of them, so the loop ends quickly)
        int lit = Integer.bitCount(own);
        java.util.SplittableRandom random = new java.util.SplittableRandom(own * 0x9E3779B97F4A7C15L);
        int cells = Glyphs.SIZE * Glyphs.SIZE;
        long possible = binomial(cells, lit);
        while (out.size() < k) {
            if (taken.size() >= possible) {
                throw new IllegalArgumentException("controls = " + k + ": a glyph with " + lit + " lit pixels has only "
                        + (possible - 1) + " other patterns");
            }
            int bits = 0;
            for (int set = 0; set < lit; ) {
                int bit = 1 << random.nextInt(cells);
                if ((bits & bit) == 0) {
                    bits |= bit;
                    set++;
                }
            }
            if (taken.add(bits)) {
                out.add(Glyphs.feature(FeatureSpec.glyphPattern(bits), uf.row(), uf.col()));
            }
        }
        return out;
    }

    private static long binomial(int n, int r) {
        long b = 1;
        for (int i = 1; i <= r; i++) {
            b = b * (n - r + i) / i;
        }
        return b;
    }

    private static List<UniqueFeature> textControls(UniqueFeature uf, List<String> names, int limit) {
        String own = normalise(uf.spec().text());
        Set<String> seen = new LinkedHashSet<>();
        List<UniqueFeature> out = new ArrayList<>();
        for (String name : names) {
            if (out.size() == limit) {
                break;
            }
            String key = normalise(name);
            if (key.equals(own) || !seen.add(key)) {
                continue;
            }
            UniqueFeature control = TextFeatures.control(uf, name);
            if (!sameUnderMask(uf, control.pattern())) {
                out.add(control);
            }
        }
        return out;
    }

    /**
     * Tops up the default names with random strings of the feature's shape, so that a text feature
     * gets K controls of its own kind (25 names alone cannot give a p-value below 1/26).
     */
    private static List<UniqueFeature> withRandomTexts(UniqueFeature uf, List<UniqueFeature> named, int k) {
        String own = uf.spec().text();
        List<UniqueFeature> out = new ArrayList<>(named);
        Set<String> seen = new java.util.HashSet<>();
        seen.add(normalise(own));
        named.forEach(c -> seen.add(normalise(c.spec().text())));
        java.util.SplittableRandom random = new java.util.SplittableRandom(own.hashCode() * 0x9E3779B97F4A7C15L);
        // a text of letters has 26^n shapes; stop after many tries without a new one (e.g. a 1-letter text)
        for (int tries = 0; out.size() < k && tries < 50 * k; tries++) {
            StringBuilder b = new StringBuilder(own.length());
            for (char c : own.toCharArray()) {
                b.append(Character.isLetter(c) ? (char) ('A' + random.nextInt(26))
                        : Character.isDigit(c) ? (char) ('0' + random.nextInt(10)) : c);
            }
            String text = b.toString();
            if (seen.add(normalise(text))) {
                UniqueFeature control = TextFeatures.control(uf, text);
                if (!sameUnderMask(uf, control.pattern())) {
                    out.add(control);
                }
            }
        }
        return out;
    }

    private static List<UniqueFeature> imageControls(UniqueFeature uf, int limit) {
        if (uf.spec().transform() != null) {
            throw new IllegalArgumentException("controls for " + uf.id() + ": build them from the untransformed image");
        }
        float[][] base = uf.pattern();
        List<float[][]> kept = new ArrayList<>();
        kept.add(base);
        List<UniqueFeature> out = new ArrayList<>();
        boolean[][] mask = uf.mask();
        for (PatchTransform t : PatchTransform.candidates(uf.height(), uf.width())) {
            if (out.size() == limit) {
                break;
            }
            float[][] p = t.apply(base);
            if (kept.stream().noneMatch(k -> Patterns.equalUnderMask(k, p, mask))) {
                kept.add(p);
                out.add(new UniqueFeature(uf.spec().withTransform(t), p, mask, uf.row(), uf.col()));
            }
        }
        if (out.size() < 2 && limit >= 2) {
            // a checkerboard, a solid square: the calibration needs at least two controls to compare against
            throw new io.memaudit.common.events.AuditException(io.memaudit.common.events.ErrorKind.FEATURE_INVALID, "image feature "
                    + uf.id() + " has " + out.size() + " distinct transform(s) (flips, rotations, shifts) under its mask; its "
                    + "controls need at least 2: use a patch with less symmetry");
        }
        return out;
    }

    private static boolean sameUnderMask(UniqueFeature uf, float[][] pattern) {
        return Patterns.equalUnderMask(uf.pattern(), pattern, uf.mask());
    }

    private static String normalise(String name) {
        return name.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    }
}
