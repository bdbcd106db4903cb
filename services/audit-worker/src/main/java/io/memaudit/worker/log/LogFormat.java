package io.memaudit.worker.log;

import java.util.Locale;

/** How log lines are written to stderr: {@code text} for people, {@code json} (one object per line) for collectors. */
public enum LogFormat {
    TEXT, JSON;

    /** {@code text} or {@code json}, any case; an {@link IllegalArgumentException} otherwise. */
    public static LogFormat parse(String value) {
        for (LogFormat f : values()) {
            if (f.wire().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not text or json");
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
