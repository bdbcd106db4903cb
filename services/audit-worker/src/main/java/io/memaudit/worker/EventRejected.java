package io.memaudit.worker;

import io.memaudit.common.events.ErrorKind;

/** An event that cannot be scored, with the dead-letter error kind and a message naming what is wrong. */
public final class EventRejected extends RuntimeException {
    private final ErrorKind kind;

    public EventRejected(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public EventRejected(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() { return kind; }
}
