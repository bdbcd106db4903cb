package io.memaudit.common.feature;

/** Parses feature spec strings (grammar in {@link FeatureSpec}); every error names the spec. */
final class FeatureSpecParser {
    private static final String EXAMPLES = "e.g. glyph:A, glyph:A@1,1, text:JANE DOE@20,1, "
            + "text:JANE DOE;font=Monospaced;size=9;binary, image:p.png;mask=m.png@3,4";

    private FeatureSpecParser() {
    }

    static FeatureSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("feature spec is empty; expected KIND:VALUE, " + EXAMPLES);
        }
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("feature spec '" + spec + "' has no kind; expected KIND:VALUE, " + EXAMPLES);
        }
        FeatureKind kind = FeatureKind.fromPrefix(spec.substring(0, colon).strip(), spec);
        String rest = spec.substring(colon + 1);
        int at = rest.lastIndexOf('@');
        String body = at < 0 ? rest : rest.substring(0, at);
        String[] parts = body.split(";", -1);
        try {
            FeatureSpec parsed = parseBody(kind, parts, spec);
            return at < 0 ? parsed : withPosition(parsed, rest.substring(at + 1), spec);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("feature spec '")) {
                throw e;
            }
            throw new IllegalArgumentException("feature spec '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static FeatureSpec parseBody(FeatureKind kind, String[] parts, String spec) {
        switch (kind) {
            case GLYPH:
                return parseGlyph(parts, spec);
            case TEXT:
                return parseText(parts, spec);
            default:
                return parseImage(parts, spec);
        }
    }

    private static FeatureSpec parseGlyph(String[] parts, String spec) {
        if (parts.length > 1) {
            throw error(spec, "a glyph takes no options, got '" + parts[1] + "'");
        }
        String letter = parts[0].strip();
        if (letter.startsWith("#")) {
            try {
                return FeatureSpec.glyphPattern(Integer.parseInt(letter.substring(1), 16));
            } catch (NumberFormatException e) {
                throw error(spec, "glyph pattern '" + letter + "' is not # followed by up to 7 hex digits (25 bits)");
            }
        }
        if (letter.length() != 1 || !Glyphs.has(letter.charAt(0))) {
            throw error(spec, "glyph '" + letter + "' is not in the 5x5 font; allowed: one of A-Z, 0-9, or a pattern #<25 bits in hex>");
        }
        return FeatureSpec.glyph(letter.charAt(0));
    }

    private static FeatureSpec parseText(String[] parts, String spec) {
        TextStyle style = TextStyle.defaults();
        Integer boxH = null;
        Integer boxW = null;
        Integer baseline = null;
        for (int i = 1; i < parts.length; i++) {
            String key = key(parts[i]);
            String value = value(parts[i]);
            switch (key) {
                case "font":
                    style = style.withFont(required(value, key, spec));
                    break;
                case "size":
                    style = style.withSize(parseFloat(required(value, key, spec), key, spec));
                    break;
                case "bold":
                    style = style.withBold(flag(value, key, spec));
                    break;
                case "binary":
                    style = style.withBinary(flag(value, key, spec));
                    break;
                case "box":
                    int[] hw = parseBox(required(value, key, spec), spec);
                    boxH = hw[0];
                    boxW = hw[1];
                    break;
                case "baseline":
                    baseline = parseInt(required(value, key, spec), key, spec);
                    break;
                default:
                    throw error(spec, "unknown text option '" + parts[i].strip()
                            + "'; allowed: font=NAME, size=POINTS, bold, binary, box=HxW with baseline=ROW");
            }
        }
        FeatureSpec text = FeatureSpec.text(parts[0], style);
        if ((boxH == null) != (baseline == null)) {
            throw error(spec, "box=HxW and baseline=ROW go together");
        }
        return boxH == null ? text : text.withBox(boxH, boxW, baseline);
    }

    private static FeatureSpec parseImage(String[] parts, String spec) {
        String mask = null;
        PatchTransform transform = null;
        for (int i = 1; i < parts.length; i++) {
            String key = key(parts[i]);
            if (key.equals("mask")) {
                mask = required(value(parts[i]), key, spec);
            } else if (key.equals("transform")) {
                transform = PatchTransform.parse(required(value(parts[i]), key, spec));
            } else {
                throw error(spec, "unknown image option '" + parts[i].strip()
                        + "'; allowed: mask=PATH, transform=OP:DY:DX");
            }
        }
        FeatureSpec image = FeatureSpec.image(parts[0], mask);
        return transform == null ? image : image.withTransform(transform);
    }

    private static FeatureSpec withPosition(FeatureSpec parsed, String position, String spec) {
        String[] rc = position.split(",", -1);
        if (rc.length != 2) {
            throw error(spec, "bad position '@" + position + "'; expected @ROW,COL with whole numbers >= 0");
        }
        int row = parseInt(rc[0], "row", spec);
        int col = parseInt(rc[1], "col", spec);
        return parsed.withPosition(row, col);
    }

    private static String key(String option) {
        int eq = option.indexOf('=');
        return (eq < 0 ? option : option.substring(0, eq)).strip();
    }

    private static String value(String option) {
        int eq = option.indexOf('=');
        return eq < 0 ? null : option.substring(eq + 1).strip();
    }

    private static String required(String value, String key, String spec) {
        if (value == null || value.isEmpty()) {
            throw error(spec, "option '" + key + "' needs a value, e.g. " + key + "=...");
        }
        return value;
    }

    private static boolean flag(String value, String key, String spec) {
        if (value == null || value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw error(spec, "option '" + key + "' is a flag; write '" + key + "', '" + key + "=true' or '"
                + key + "=false', not '" + value + "'");
    }

    private static int[] parseBox(String value, String spec) {
        String[] hw = value.split("x", -1);
        if (hw.length != 2) {
            throw error(spec, "bad box '" + value + "'; expected box=HxW, e.g. box=7x26");
        }
        return new int[] {parseInt(hw[0], "box height", spec), parseInt(hw[1], "box width", spec)};
    }

    private static int parseInt(String value, String what, String spec) {
        String v = value.strip();
        if (!v.matches("[0-9]{1,6}")) {
            throw error(spec, "bad " + what + " '" + value + "'; expected a whole number >= 0");
        }
        return Integer.parseInt(v);
    }

    private static float parseFloat(String value, String what, String spec) {
        if (!value.matches("[0-9]{1,3}(\\.[0-9]{1,3})?")) {
            throw error(spec, "bad " + what + " '" + value + "'; expected a number > 0, e.g. 5 or 5.5");
        }
        return Float.parseFloat(value);
    }

    private static IllegalArgumentException error(String spec, String problem) {
        return new IllegalArgumentException("feature spec '" + spec + "': " + problem);
    }
}
