package io.memaudit.worker;

import io.memaudit.common.events.ErrorKind;
import java.util.Objects;

/**
 * The outcome of validating one event: either the parsed value, or an error kind with a message that
 * names the field (JSON pointer) or position at fault. Exactly one of {@code value} and {@code errorKind}
 * is non-null.
 *
 * @param <T> the parsed type (e.g. {@link io.memaudit.common.events.CheckpointEvent})
 */
public record ValidationResult<T>(T value, ErrorKind errorKind, String message) {
    public ValidationResult {
        if ((value == null) == (errorKind == null)) {
            throw new IllegalArgumentException("a result holds either a value or an error kind");
        }
    }

    public static <T> ValidationResult<T> valid(T value) {
        return new ValidationResult<>(Objects.requireNonNull(value, "value"), null, null);
    }

    public static <T> ValidationResult<T> invalid(ErrorKind kind, String message) {
        return new ValidationResult<>(null, Objects.requireNonNull(kind, "kind"), message);
    }

    public boolean isValid() {
        return value != null;
    }

    /** The value, or an {@link IllegalStateException} carrying the error message. */
    public T orThrow() {
        if (value == null) {
            throw new IllegalStateException(errorKind.wire() + ": " + message);
        }
        return value;
    }
}
