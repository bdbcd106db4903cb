package io.memaudit.cli;

import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.worker.log.LogFormat;
import io.memaudit.worker.log.Logs;
import org.slf4j.LoggerFactory;
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
    public int handleExecutionException(Exception thrown, CommandLine cl, CommandLine.ParseResult parsed) {
        Exception ex = unwrapped(thrown);
        String prefix = cl.getCommandName() + ": error: ";
        if (ex instanceof IllegalArgumentException || ex.getClass().getSimpleName().equals("ConfigException")
                || ex instanceof AuditException a && BAD_INPUT_KINDS.contains(a.kind())) {
            report(cl, prefix + ex.getMessage());
            return BAD_INPUT;
        }
        if (isExpected(ex)) {
            report(cl, prefix + ex.getMessage());
            return FAILURE;
        }
        cl.getErr().println(prefix + "unexpected " + ex);
        ex.printStackTrace(cl.getErr());
        return FAILURE;
    }

    /** The failure itself, not the wrapper a future puts around it (ExecutionException, CompletionException). */
    private static Exception unwrapped(Exception ex) {
        Exception e = ex;
        while ((e instanceof java.util.concurrent.ExecutionException || e instanceof java.util.concurrent.CompletionException)
                && e.getCause() instanceof Exception cause) {
            e = cause;
        }
        return e;
    }

    /** One line on stderr; a JSON log line instead where the logs are JSON (memaudit.log.format), so collectors parse it. */
    private static void report(CommandLine cl, String line) {
        if (Logs.format() == LogFormat.JSON) {
            LoggerFactory.getLogger(Errors.class).error(line);
        } else {
            cl.getErr().println(line);
        }
    }

    private static boolean isExpected(Exception ex) {
        String n = ex.getClass().getSimpleName();
        return ex instanceof UncheckedIOException || ex instanceof java.io.IOException
                || ex instanceof IllegalStateException || n.endsWith("AuditException") || n.endsWith("DatasetException");
    }
}
