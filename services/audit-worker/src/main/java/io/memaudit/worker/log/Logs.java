package io.memaudit.worker.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The logging backend (Logback, configured by the command line's {@code logback.xml}) as the commands
 * adjust it at run time: the output format ({@code memaudit.log.format}) and the level of a logger.
 */
public final class Logs {
    /** The text encoders that JSON replaced, to put back for {@link LogFormat#TEXT}. */
    private static final Map<OutputStreamAppender<ILoggingEvent>, Encoder<ILoggingEvent>> TEXT_ENCODERS = new IdentityHashMap<>();
    private static volatile LogFormat format = LogFormat.TEXT;

    private Logs() { }

    /**
     * Writes every later line of the root logger's appenders (the console) in this format. JSON: one
     * object per line with timestamp, level, threadName, loggerName, mdc (runId, step, feature while a
     * checkpoint is handled), formattedMessage and, when there is one, throwable.
     */
    public static synchronized void useFormat(LogFormat wanted) {
        LoggerContext context = context();
        if (context == null || wanted == format) {
            return;
        }
        for (OutputStreamAppender<ILoggingEvent> appender : rootAppenders(context)) {
            if (wanted == LogFormat.JSON) {
                TEXT_ENCODERS.put(appender, appender.getEncoder());
                appender.setEncoder(jsonEncoder(context));
            } else if (TEXT_ENCODERS.containsKey(appender)) {
                appender.setEncoder(TEXT_ENCODERS.remove(appender));
            }
        }
        format = wanted;
    }

    /** The format {@link #useFormat} set last (text until then). */
    public static LogFormat format() {
        return format;
    }

    /** Sets a logger's level ("warn", "error", ...); nothing when the backend is not Logback. */
    public static void setLevel(String logger, String level) {
        if (context() != null) {
            ((Logger) LoggerFactory.getLogger(logger)).setLevel(Level.toLevel(level));
        }
    }

    /** Logback's JSON encoder without the fields nobody reads (sequence number, nanoseconds, context, raw arguments). */
    static JsonEncoder jsonEncoder(LoggerContext context) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithArguments(false);
        json.setWithMessage(false); // the format with its {} placeholders
        json.setWithFormattedMessage(true); // the text, placeholders filled in
        json.start();
        return json;
    }

    private static List<OutputStreamAppender<ILoggingEvent>> rootAppenders(LoggerContext context) {
        List<OutputStreamAppender<ILoggingEvent>> out = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
             it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> stream) {
                out.add(stream);
            }
        }
        return out;
    }

    /** Null when SLF4J is bound to another backend (an embedding application's). */
    private static LoggerContext context() {
        return LoggerFactory.getILoggerFactory() instanceof LoggerContext c ? c : null;
    }
}
