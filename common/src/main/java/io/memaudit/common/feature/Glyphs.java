package io.memaudit.common.feature;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A 5×5 bitmap font for A–Z and 0–9 (1 = white). {@code A} is the authors' glyph, rows
 * {@code 00100 / 01010 / 11111 / 10001 / 10001}. A glyph feature writes its whole 5×5 square:
 * 0-pixels black, 1-pixels white.
 */
public final class Glyphs {
    /** Side of every glyph, in pixels. */
    public static final int SIZE = 5;
    /** Default top-left position: rows and cols 1..5, as in the authors' code. */
    public static final int DEFAULT_ROW = 1;
    public static final int DEFAULT_COL = 1;
    /** The letters, in the order controls are listed. */
    public static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public static final String DIGITS = "0123456789";

    private static final Map<Character, String[]> FONT = new LinkedHashMap<>();

    static {
        put('A', "00100", "01010", "11111", "10001", "10001");
        put('B', "11110", "10001", "11110", "10001", "11110");
        put('C', "01111", "10000", "10000", "10000", "01111");
        put('D', "11110", "10001", "10001", "10001", "11110");
        put('E', "11111", "10000", "11110", "10000", "11111");
        put('F', "11111", "10000", "11110", "10000", "10000");
        put('G', "01111", "10000", "10011", "10001", "01111");
        put('H', "10001", "10001", "11111", "10001", "10001");
        put('I', "11111", "00100", "00100", "00100", "11111");
        put('J', "00111", "00010", "00010", "10010", "01100");
        put('K', "10001", "10010", "11100", "10010", "10001");
        put('L', "10000", "10000", "10000", "10000", "11111");
        put('M', "10001", "11011", "10101", "10001", "10001");
        put('N', "10001", "11001", "10101", "10011", "10001");
        put('O', "01110", "10001", "10001", "10001", "01110");
        put('P', "11110", "10001", "11110", "10000", "10000");
        put('Q', "01110", "10001", "10101", "10010", "01101");
        put('R', "11110", "10001", "11110", "10010", "10001");
        put('S', "01111", "10000", "01110", "00001", "11110");
        put('T', "11111", "00100", "00100", "00100", "00100");
        put('U', "10001", "10001", "10001", "10001", "01110");
        put('V', "10001", "10001", "10001", "01010", "00100");
        put('W', "10001", "10001", "10101", "11011", "10001");
        put('X', "10001", "01010", "00100", "01010", "10001");
        put('Y', "10001", "01010", "00100", "00100", "00100");
        put('Z', "11111", "00010", "00100", "01000", "11111");
        put('0', "01110", "10011", "10101", "11001", "01110");
        put('1', "00100", "01100", "00100", "00100", "01110");
        put('2', "11110", "00001", "01110", "10000", "11111");
        put('3', "11110", "00001", "00110", "00001", "11110");
        put('4', "10010", "10010", "11111", "00010", "00010");
        put('5', "11111", "10000", "11110", "00001", "11110");
        put('6', "01110", "10000", "11110", "10001", "01110");
        put('7', "11111", "00001", "00010", "00100", "00100");
        put('8', "01110", "10001", "01110", "10001", "01110");
        put('9', "01110", "10001", "01111", "00001", "01110");
    }

    private Glyphs() {
    }

    private static void put(char c, String... rows) {
        FONT.put(c, rows);
    }

    /** Every character of the font, letters first, in a fixed order. */
    public static String characters() {
        return LETTERS + DIGITS;
    }

    public static boolean has(char c) {
        return FONT.containsKey(c);
    }

    /** The glyph's rows as strings of 0/1, top first (a copy). */
    public static String[] rows(char c) {
        return glyph(c).clone();
    }

    /** The glyph as a 5×5 pattern of 0/1 floats. */
    public static float[][] bitmap(char c) {
        String[] rows = glyph(c);
        float[][] p = new float[SIZE][SIZE];
        for (int r = 0; r < SIZE; r++) {
            for (int k = 0; k < SIZE; k++) {
                p[r][k] = rows[r].charAt(k) == '1' ? 1f : 0f;
            }
        }
        return p;
    }

    /** A 25-bit pattern (row-major, top-left in bit 24) as a 5×5 pattern of 0/1 floats. */
    public static float[][] bitmap(int bits) {
        float[][] p = new float[SIZE][SIZE];
        for (int i = 0; i < SIZE * SIZE; i++) {
            p[i / SIZE][i % SIZE] = (bits >>> (SIZE * SIZE - 1 - i) & 1) == 1 ? 1f : 0f;
        }
        return p;
    }

    /** The bits of a 5×5 0/1 pattern ({@link #bitmap(int)} inverted). */
    public static int bits(float[][] pattern) {
        int b = 0;
        for (int i = 0; i < SIZE * SIZE; i++) {
            b = b << 1 | (pattern[i / SIZE][i % SIZE] > 0.5f ? 1 : 0);
        }
        return b;
    }

    /** The glyph of a spec — a letter of the font or a pattern — with its top-left corner at (row, col). */
    public static UniqueFeature feature(FeatureSpec spec, int row, int col) {
        if (!spec.isGlyphPattern()) {
            return feature(spec.letter(), row, col);
        }
        return new UniqueFeature(spec.withoutPosition(), bitmap(spec.glyphBits()), Patterns.fullMask(SIZE, SIZE), row, col);
    }

    /** The glyph feature at the default position (1,1). */
    public static UniqueFeature feature(char c) {
        return feature(c, DEFAULT_ROW, DEFAULT_COL);
    }

    /** The glyph feature with its top-left corner at (row, col); the mask is the full square. */
    public static UniqueFeature feature(char c, int row, int col) {
        float[][] p = bitmap(c);
        return new UniqueFeature(FeatureSpec.glyph(c), p, Patterns.fullMask(SIZE, SIZE), row, col);
    }

    private static String[] glyph(char c) {
        String[] rows = FONT.get(c);
        if (rows == null) {
            throw new IllegalArgumentException("glyph '" + c + "' is not in the 5x5 font; allowed: A-Z, 0-9");
        }
        return rows;
    }
}
