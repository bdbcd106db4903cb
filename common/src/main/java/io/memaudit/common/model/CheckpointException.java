package io.memaudit.common.model;

import io.memaudit.common.events.ErrorKind;

/** A checkpoint could not be read, or does not match what its metadata declares. */
public class CheckpointException extends RuntimeException {
    private final ErrorKind kind;

    public CheckpointException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public CheckpointException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() { return kind; }
}
