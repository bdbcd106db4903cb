package io.memaudit.common.events;

/** Why an event went to the dead-letter topic. Wire names are lower-case with dashes. */
public enum ErrorKind {
    INVALID_JSON,
    SCHEMA_VIOLATION,
    UNSUPPORTED_FORMAT,
    UNKNOWN_ARCHITECTURE,
    CHECKPOINT_MISSING,
    CHECKPOINT_UNREADABLE,
    CHECKPOINT_CORRUPT,
    SHAPE_MISMATCH,
    NON_FINITE_WEIGHTS,
    UNKNOWN_PROBE_SET,
    FEATURE_INVALID,
    PATH_NOT_ALLOWED,
    FILE_TOO_LARGE,
    SCORING_FAILED;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
