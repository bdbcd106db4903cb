package io.memaudit.cli;

import picocli.CommandLine;

import java.io.UncheckedIOException;

/**
 * Turns expected failures (bad input, missing files, corrupt checkpoints) into one clear line and a
 * non-zero exit; unexpected ones keep their stack trace.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
    static final int FAILURE = 1;
    static final int BAD_INPUT = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        String prefix = cl.getCommandName() + ": error: ";
        if (ex instanceof IllegalArgumentException || ex.getClass().getSimpleName().equals("ConfigException")) {
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
                || ex instanceof IllegalStateException || n.endsWith("CheckpointException") || n.endsWith("DatasetException");
    }
}
