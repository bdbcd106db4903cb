package io.memaudit.common.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Training variants of the paper's set-up, plus L2 weight decay (the abstract's "regularisation"). */
public enum Variant {
    PLAIN("plain"),
    BATCH_NORM("bn"),
    DROPOUT("dropout"),
    AUGMENT("augment"),
    L2("l2");

    private final String wireName;

    Variant(String wireName) { this.wireName = wireName; }

    public String wireName() { return wireName; }

    public static Variant parse(String name) {
        for (Variant v : values()) {
            if (v.wireName.equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variant '" + name + "' (known: "
                + Arrays.stream(values()).map(Variant::wireName).collect(Collectors.joining(", ")) + ")");
    }
}
