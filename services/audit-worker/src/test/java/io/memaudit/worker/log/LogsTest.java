package io.memaudit.worker.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** memaudit.log.format: the root logger's appenders switch between text and one JSON object per line. */
class LogsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private OutputStreamAppender<ILoggingEvent> appender;

    @BeforeEach
    void captureTheRootLogger() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern("%level %logger{0} - %msg%n");
        text.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(text);
        appender.setOutputStream(out);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    @AfterEach
    void restore() {
        Logs.useFormat(LogFormat.TEXT);
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        MDC.clear();
    }

    private List<String> captured() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void jsonIsOneObjectPerLineWithTheMdcAndTextComesBack() {
        org.slf4j.Logger log = LoggerFactory.getLogger("io.memaudit.worker.ScoringService");
        Logs.useFormat(LogFormat.JSON);
        assertEquals(LogFormat.JSON, Logs.format());
        MDC.put("runId", "run-7");
        MDC.put("step", "300");
        log.info("run {} step {} glyph:A: M_KL {}", "run-7", 300, 0.25);
        MDC.clear();
        log.warn("a line\nover two lines", new IllegalStateException("boom"));
        Logs.useFormat(LogFormat.TEXT);
        log.info("plain again");

        List<String> lines = captured();
        assertEquals(3, lines.size(), String.join("\n", lines));
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("INFO", first.get("level").getAsString());
        assertEquals("io.memaudit.worker.ScoringService", first.get("loggerName").getAsString());
        assertEquals("run run-7 step 300 glyph:A: M_KL 0.25", first.get("formattedMessage").getAsString());
        assertEquals("run-7", first.getAsJsonObject("mdc").get("runId").getAsString());
        assertEquals("300", first.getAsJsonObject("mdc").get("step").getAsString());
        assertTrue(first.get("timestamp").getAsLong() > 0);
        assertFalse(first.has("context"), "no logger-context block on every line: " + lines.get(0));
        JsonObject second = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertEquals("a line\nover two lines", second.get("formattedMessage").getAsString(), "a newline stays inside the object");
        assertEquals("boom", second.getAsJsonObject("throwable").get("message").getAsString());
        assertEquals("INFO ScoringService - plain again", lines.get(2));
    }

    @Test
    void theFormatParsesTextOrJsonOnly() {
        assertEquals(LogFormat.JSON, LogFormat.parse(" JSON "));
        assertEquals(LogFormat.TEXT, LogFormat.parse("text"));
        assertThrows(IllegalArgumentException.class, () -> LogFormat.parse("xml"));
    }
}
