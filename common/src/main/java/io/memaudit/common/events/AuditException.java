package io.memaudit.common.events;

/**
 * Why a checkpoint cannot be audited, with the error kind the user sees (in a dead letter, or as the
 * command line's message). One type from the first check at the edge to the last load: callers pass it
 * on unchanged instead of mapping exceptions to kinds after the fact.
 */
public class AuditException extends RuntimeException {
    private final ErrorKind kind;

    public AuditException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public AuditException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() { return kind; }
}
