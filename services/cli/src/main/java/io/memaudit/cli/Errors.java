package io.memaudit.cli;

import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.ErrorKind;
import picocli.CommandLine;

import java.io.UncheckedIOException;

/**
 * Turns expected failures (bad input, missing files, corrupt checkpoints) into one clear line and a
 * non-zero exit; unexpected ones keep their stack trace.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
    static final int FAILURE = 1;
    static final int BAD_INPUT = 2;
    /** Audit faults that are the command line's own input (exit 2) rather than a file's (exit 1). */
    private static final java.util.Set<ErrorKind> BAD_INPUT_KINDS = java.util.EnumSet.of(ErrorKind.FEATURE_INVALID,
            ErrorKind.UNKNOWN_PROBE_SET, ErrorKind.SCHEMA_VIOLATION, ErrorKind.UNSUPPORTED_FORMAT);

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        String prefix = cl.getCommandName() + ": error: ";
        if (ex instanceof IllegalArgumentException || ex.getClass().getSimpleName().equals("ConfigException")
                || ex instanceof AuditException a && BAD_INPUT_KINDS.contains(a.kind())) {
            cl.getErr().println(prefix + ex.getMessage());
            return BAD_INPUT;
        }
        if (isExpected(ex)) {
            cl.getErr().println(prefix + ex.getMessage());
            return FAILURE;
        }
        cl.getErr().println(prefix + "unexpected " + ex);
        ex.printStackTrace(cl.getErr());
        return FAILURE;
    }

    private static boolean isExpected(Exception ex) {
        String n = ex.getClass().getSimpleName();
        return ex instanceof UncheckedIOException || ex instanceof java.io.IOException
                || ex instanceof IllegalStateException || n.endsWith("AuditException") || n.endsWith("DatasetException");
    }
}
