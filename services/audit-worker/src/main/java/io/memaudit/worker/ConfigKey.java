package io.memaudit.worker;

import java.util.Locale;

/**
 * One worker setting: its name (prefix {@code memaudit.}), type and validator, default, and a one-line
 * doc. All keys are defined in {@link ConfigKeys}.
 *
 * @param defaultValue the default as text; {@code null} when the key is required
 * @param example      a value shown in the example file for a required key; {@code null} otherwise
 */
public record ConfigKey(String name, ValueType type, String defaultValue, String doc, String example) {
    /** The environment variable that sets this key: upper case, '.' and '-' replaced by '_'. */
    public String envVar() {
        return toEnvVar(name);
    }

    public boolean required() {
        return defaultValue == null;
    }

    /** What the value must be, e.g. "an integer >= 1". */
    public String allowed() {
        return type.allowed();
    }

    static String toEnvVar(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
