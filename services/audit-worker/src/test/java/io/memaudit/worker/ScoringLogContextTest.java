package io.memaudit.worker;

import ai.djl.Device;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.CheckpointEvents;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.TestCheckpoints;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.worker.log.LogFormat;
import io.memaudit.worker.log.Logs;
import io.memaudit.worker.source.CheckpointSources;
import io.memaudit.worker.source.FileSource;
import io.memaudit.worker.source.Staging;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With memaudit.log.format=json, the line the worker logs for a scored checkpoint is a JSON object whose
 * mdc names the run, step and feature; nothing of it is left on the thread afterwards.
 */
class ScoringLogContextTest {
    @TempDir
    Path root;

    @Test
    void theScoreLineCarriesRunStepAndFeatureAndTheThreadIsCleanAfter() throws Exception {
        Path ckpt = root.resolve("run-json/ckpt-0001");
        TestCheckpoints.writeMlp(ckpt, 1);
        CheckpointEvent e = CheckpointEvents.fromCheckpoint(ckpt, CheckpointStore.readMetadata(ckpt), List.of("glyph:A"),
                "mnist-gray-28", 100);
        e = new CheckpointEvent(e.schemaVersion(), "run-json", 700, e.epoch(), e.createdAt(), e.model(), e.audit(),
                e.trainingMetrics());

        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> capture = new OutputStreamAppender<>();
        capture.setContext(context);
        ch.qos.logback.classic.encoder.PatternLayoutEncoder text = new ch.qos.logback.classic.encoder.PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern("%msg%n");
        text.start();
        capture.setEncoder(text);
        capture.setOutputStream(out);
        capture.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(capture);
        try (ScoringService service = new ScoringService(new CheckpointScorer(Device.cpu(), PipelineHarness.SYNTHETIC_PROBES),
                new CheckpointSources(new Staging(root.resolve("staging"), 1L << 30)).register(new FileSource(List.of(root))),
                new ScoreLedger(), "w-json", new ScoringService.Limits(1000, 200), new WorkerMetrics(new SimpleMeterRegistry()))) {
            Logs.useFormat(LogFormat.JSON);
            service.score(e);
            LoggerFactory.getLogger(ScoringService.class).info("after the checkpoint");
        } finally {
            Logs.useFormat(LogFormat.TEXT);
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(capture);
        }

        List<JsonObject> lines = out.toString(StandardCharsets.UTF_8).lines().map(l -> JsonParser.parseString(l).getAsJsonObject())
                .toList();
        JsonObject scored = lines.stream().filter(l -> l.get("formattedMessage").getAsString().contains("M_KL")).findFirst()
                .orElseThrow(() -> new AssertionError("no score line in " + lines));
        assertTrue(scored.get("formattedMessage").getAsString().startsWith("run run-json step 700 glyph:A: M_KL "), scored.toString());
        JsonObject mdc = scored.getAsJsonObject("mdc");
        assertEquals("run-json", mdc.get("runId").getAsString());
        assertEquals("700", mdc.get("step").getAsString());
        assertEquals("glyph:A", mdc.get("feature").getAsString());
        JsonObject after = lines.get(lines.size() - 1);
        assertEquals("after the checkpoint", after.get("formattedMessage").getAsString());
        assertFalse(after.has("mdc") && after.getAsJsonObject("mdc").has("runId"), "the run is not left on the thread: " + after);
        assertNull(MDC.get("runId"));
        assertNull(MDC.get("feature"));
    }

    @Test
    void nestedContextsPutBackWhatWasThere() {
        try (CheckpointMdc outer = CheckpointMdc.of("a", 1L)) {
            try (CheckpointMdc inner = CheckpointMdc.of("b", null)) {
                assertEquals("b", MDC.get("runId"));
                assertEquals("1", MDC.get("step"), "a null step leaves the step set");
            }
            assertEquals("a", MDC.get("runId"));
        }
        assertNull(MDC.get("runId"));
        assertNull(MDC.get("step"));
    }
}
