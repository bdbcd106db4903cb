package io.memaudit.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.ErrorKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
    private static final EventValidator VALIDATOR = new EventValidator();

    static String example(String name) {
        try (InputStream in = EventValidatorTest.class.getResourceAsStream("/examples/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String mutated(Consumer<JsonObject> change) {
        JsonObject event = new JsonObject(example("checkpoint-event"));
        change.accept(event);
        return event.encode();
    }

    private static String violation(Consumer<JsonObject> change) {
        ValidationResult<CheckpointEvent> result = VALIDATOR.validateCheckpoint(mutated(change));
        assertFalse(result.isValid(), "should be rejected");
        assertEquals(ErrorKind.SCHEMA_VIOLATION, result.errorKind(), result.message());
        return result.message();
    }

    private static JsonObject feature(JsonObject event) {
        return event.getJsonObject("audit").getJsonArray("features").getJsonObject(0);
    }

    @Test
    void exampleCheckpointParsesIntoTheRecord() {
        CheckpointEvent event = VALIDATOR.validateCheckpoint(example("checkpoint-event")).orThrow();
        assertEquals("mnist-mlp-glyphA-seed7", event.runId());
        assertEquals(4220L, event.step());
        assertEquals("mlp", event.model().architecture());
        assertArrayEquals(new int[] {1, 28, 28}, event.model().inputShape());
        assertArrayEquals(new float[] {0.3081f}, event.model().normalisation().std());
        assertEquals("A", event.audit().features().get(0).letter());
        assertArrayEquals(new int[] {20, 1}, event.audit().features().get(1).position());
        assertEquals(5, event.audit().features().get(1).fontSize());
        assertNull(event.audit().features().get(1).label());
        assertEquals(0.9786, event.trainingMetrics().get("valAccuracy"), 1e-12);
    }

    @Test
    void everyExampleConformsToItsSchema() {
        for (String name : EventValidator.SCHEMA_NAMES) {
            ValidationResult<JsonObject> result = VALIDATOR.validate(name, new JsonObject(example(name)));
            assertTrue(result.isValid(), name + ": " + result.message());
        }
    }

    @Test
    void bytesAreDecodedAsUtf8() {
        byte[] utf8 = mutated(e -> feature(e).put("text", "JOSÉ ÑÚÑEZ").put("kind", "text")).getBytes(StandardCharsets.UTF_8);
        assertEquals("JOSÉ ÑÚÑEZ", VALIDATOR.validateCheckpoint(utf8).orThrow().audit().features().get(0).text());
    }

    @Test
    void bytesThatAreNotUtf8AreInvalidJsonWithTheOffset() {
        byte[] latin1 = mutated(e -> feature(e).put("text", "JOSÉ").put("kind", "text")).getBytes(StandardCharsets.ISO_8859_1);
        ValidationResult<CheckpointEvent> result = VALIDATOR.validateCheckpoint(latin1);
        assertEquals(ErrorKind.INVALID_JSON, result.errorKind());
        int offset = new String(latin1, StandardCharsets.ISO_8859_1).indexOf('É');
        assertEquals("the record value is not valid UTF-8: malformed byte 0xc9 at offset " + offset, result.message());
    }

    @Test
    void malformedJsonIsInvalidJsonWithLineAndColumn() {
        ValidationResult<CheckpointEvent> result = VALIDATOR.validateCheckpoint("{\"runId\": \"r1\",\n \"step\": 10,}");
        assertEquals(ErrorKind.INVALID_JSON, result.errorKind());
        assertTrue(result.message().startsWith("invalid JSON at line 2, column 13: Unexpected character ('}'"), result.message());
        assertFalse(result.message().contains("Source"), result.message());
    }

    @Test
    void trailingGarbageNullAndEmptyAreInvalidJson() {
        assertEquals(ErrorKind.INVALID_JSON, VALIDATOR.validateCheckpoint(example("checkpoint-event") + " x").errorKind());
        assertEquals(ErrorKind.INVALID_JSON, VALIDATOR.validateCheckpoint("").errorKind());
        assertEquals(ErrorKind.INVALID_JSON, VALIDATOR.validateCheckpoint((byte[]) null).errorKind());
    }

    @Test
    void aJsonValueThatIsNotAnObjectIsASchemaViolation() {
        ValidationResult<CheckpointEvent> result = VALIDATOR.validateCheckpoint("[1, 2]");
        assertEquals(ErrorKind.SCHEMA_VIOLATION, result.errorKind());
        assertEquals("(root): expected object, got an array of 2 items", result.message());
    }

    @Test
    void missingRunIdIsNamed() {
        assertEquals("/runId: missing required property", violation(e -> e.remove("runId")));
    }

    @Test
    void negativeStepIsNamedWithTheRule() {
        assertEquals("/step: -3 is less than the minimum 0", violation(e -> e.put("step", -3)));
    }

    @Test
    void unsafeRunIdIsNamedWithThePattern() {
        assertEquals("/runId: '../etc' does not match the pattern ^[A-Za-z0-9._:-]{1,200}$",
                violation(e -> e.put("runId", "../etc")));
    }

    @Test
    void unknownFormatListsTheAllowedValues() {
        assertEquals("/model/format: 'tflite' is not one of 'djl', 'onnx', 'mxnet-symbol'",
                violation(e -> e.getJsonObject("model").put("format", "tflite")));
    }

    @Test
    void onnxModelsNeedNoArchitectureButDjlOnesDo() {
        assertTrue(VALIDATOR.validateCheckpoint(mutated(e -> e.getJsonObject("model").put("format", "onnx")
                .put("layout", "NHWC").put("output", "probabilities").remove("architecture"))).isValid());
        assertTrue(violation(e -> e.getJsonObject("model").remove("architecture")).contains("/model/architecture"));
        assertTrue(violation(e -> e.getJsonObject("model").put("layout", "CHW")).startsWith("/model/layout"));
        assertTrue(violation(e -> e.getJsonObject("model").put("output", "softmax")).startsWith("/model/output"));
    }

    @Test
    void probeSetIsAPresetOrADirectoryUri() {
        assertTrue(VALIDATOR.validateCheckpoint(mutated(e -> e.getJsonObject("audit")
                .put("probeSet", "dir:file:///srv/probes/xray"))).isValid());
        assertTrue(violation(e -> e.getJsonObject("audit").put("probeSet", "dir:")).startsWith("/audit/probeSet"));
        assertTrue(violation(e -> e.getJsonObject("audit").put("probeSet", "/srv/probes")).startsWith("/audit/probeSet"));
    }

    @Test
    void featureIdsMustBeUniqueInAnEvent() {
        assertEquals("/audit/features/1/id: 'glyph-A' repeats /audit/features/0/id; feature ids must be unique in an event",
                violation(e -> e.getJsonObject("audit").getJsonArray("features").getJsonObject(1).put("id", "glyph-A")));
    }

    @Test
    void scaleAppliesToGlyphsAndTextNotImages() {
        assertTrue(VALIDATOR.validateCheckpoint(mutated(e -> e.getJsonObject("audit").getJsonArray("features")
                .getJsonObject(0).put("scale", 8))).isValid());
        assertTrue(violation(e -> e.getJsonObject("audit").getJsonArray("features").getJsonObject(0).put("scale", 0))
                .startsWith("/audit/features/0/scale"));
    }

    @Test
    void emptyFeatureListIsRejected() {
        assertEquals("/audit/features: has 0 items, expected at least 1",
                violation(e -> e.getJsonObject("audit").put("features", new JsonArray())));
    }

    @Test
    void glyphWithoutLetterNamesTheConditionalRequirement() {
        assertEquals("/audit/features/0/letter: missing required property (required when kind is 'glyph')",
                violation(e -> feature(e).remove("letter")));
    }

    @Test
    void textAndImageFeaturesNeedTheirContent() {
        assertEquals("/audit/features/0/text: missing required property (required when kind is 'text')",
                violation(e -> feature(e).put("kind", "text")));
        assertEquals("/audit/features/0/imageUri: missing required property (required when kind is 'image')",
                violation(e -> feature(e).put("kind", "image")));
    }

    @Test
    void inputShapeMustHaveThreeDimensions() {
        assertEquals("/model/inputShape: has 2 items, expected exactly 3",
                violation(e -> e.getJsonObject("model").put("inputShape", new JsonArray().add(28).add(28))));
        assertEquals("/model/inputShape/0: 0 is less than the minimum 1",
                violation(e -> e.getJsonObject("model").put("inputShape", new JsonArray().add(0).add(28).add(28))));
    }

    @Test
    void typeErrorsNameExpectedAndActual() {
        assertEquals("/epoch: expected integer, got '3'", violation(e -> e.put("epoch", "3")));
        assertEquals("/step: expected integer, got number 1.5", violation(e -> e.put("step", 1.5)));
        assertEquals("/trainingMetrics/loss: expected number, got 'low'",
                violation(e -> e.getJsonObject("trainingMetrics").put("loss", "low")));
    }

    @Test
    void unknownPropertiesAreRejectedExceptInTrainingMetrics() {
        assertEquals("/model/weights: unknown property (allowed: uri, format, architecture, layout, output, inputShape, "
                + "classes, normalisation, sha256)", violation(e -> e.getJsonObject("model").put("weights", "x")));
        assertTrue(VALIDATOR.validateCheckpoint(mutated(e -> e.getJsonObject("trainingMetrics").put("f1", 0.5))).isValid());
    }

    @Test
    void otherRulesNameTheirField() {
        assertEquals("/schemaVersion: number 2 is not the allowed value 1", violation(e -> e.put("schemaVersion", 2)));
        assertEquals("/model/classes: 1 is less than the minimum 2", violation(e -> e.getJsonObject("model").put("classes", 1)));
        assertEquals("/audit/probes: 1 is less than the minimum 2", violation(e -> e.getJsonObject("audit").put("probes", 1)));
        assertEquals("/model/normalisation/std/0: 0 must be greater than 0",
                violation(e -> e.getJsonObject("model").getJsonObject("normalisation").put("std", new JsonArray().add(0))));
        assertEquals("/audit/features/0/position: has 3 items, expected exactly 2",
                violation(e -> feature(e).put("position", new JsonArray().add(1).add(1).add(1))));
        assertEquals("/audit/features/0/kind: 'sound' is not one of 'glyph', 'text', 'image'",
                violation(e -> feature(e).put("kind", "sound")));
        assertEquals("/createdAt: 'yesterday' is not an RFC 3339 date-time with a time zone, e.g. 2026-01-31T12:00:00Z",
                violation(e -> e.put("createdAt", "yesterday")));
        assertEquals("/createdAt: '2026-03-14T09:26:53' is not an RFC 3339 date-time with a time zone, e.g. 2026-01-31T12:00:00Z",
                violation(e -> e.put("createdAt", "2026-03-14T09:26:53")));
        assertTrue(VALIDATOR.validateCheckpoint(mutated(e -> e.put("createdAt", "2026-03-14T10:26:53.5+01:00"))).isValid());
    }

    @Test
    void severalViolationsAreAllReported() {
        String message = violation(e -> {
            e.put("step", -1);
            e.remove("epoch");
        });
        assertEquals("/epoch: missing required property; /step: -1 is less than the minimum 0", message);
    }

    @Test
    void publishedEventsCanBeChecked() {
        JsonObject score = new JsonObject(example("score-event"));
        score.put("verdict", "maybe");
        ValidationResult<JsonObject> result = VALIDATOR.validate(EventValidator.SCORE_EVENT, score);
        assertEquals("/verdict: 'maybe' is not one of 'memorised', 'inconclusive', 'not-memorised'", result.message());
        JsonObject undefinedStatistics = new JsonObject(example("score-event")).putNull("z").putNull("pValue");
        assertTrue(VALIDATOR.validate("score-event.schema.json", undefinedStatistics).isValid());
        assertThrows(IllegalArgumentException.class, () -> VALIDATOR.validate("scores", score));
    }

    @Test
    void deadLetterKindsAreExactlyTheErrorKinds() {
        JsonArray allowed = VALIDATOR.schema(EventValidator.DEAD_LETTER).getJsonObject("properties")
                .getJsonObject("error").getJsonObject("properties").getJsonObject("kind").getJsonArray("enum");
        JsonArray expected = new JsonArray();
        for (ErrorKind kind : ErrorKind.values()) {
            expected.add(kind.wire());
        }
        assertEquals(expected, allowed);
    }
}
