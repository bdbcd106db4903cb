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
    /** the model's outputs on the probes hold NaN or infinity */
    NON_FINITE_OUTPUT,
    /** a model file the engine cannot run: several inputs, a non-float input, an unsupported operator set */
    UNSUPPORTED_MODEL,
    UNKNOWN_PROBE_SET,
    FEATURE_INVALID,
    PATH_NOT_ALLOWED,
    FILE_TOO_LARGE,
    SCORING_FAILED,
    /** the record was scored but its results could not be published after every retry */
    PUBLISH_FAILED;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
