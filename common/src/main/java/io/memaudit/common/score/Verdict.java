package io.memaudit.common.score;

/** Outcome of the audit of one feature on one checkpoint; see {@link VerdictRule}. */
public enum Verdict {
    MEMORISED("memorised"),
    NOT_MEMORISED("not-memorised"),
    INCONCLUSIVE("inconclusive");

    private final String wire;

    Verdict(String wire) {
        this.wire = wire;
    }

    /** The name used in events, JSON and CSV. */
    public String wire() {
        return wire;
    }

    /** Parses a {@link #wire()} name. */
    public static Verdict fromWire(String name) {
        for (Verdict v : values()) {
            if (v.wire.equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown verdict '" + name
                + "', expected one of memorised, not-memorised, inconclusive");
    }
}
