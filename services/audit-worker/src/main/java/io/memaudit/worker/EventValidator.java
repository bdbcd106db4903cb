package io.memaudit.worker;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.gson.JsonParseException;
import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.ErrorKind;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks events against the JSON Schemas in common's resources ({@code schemas/<name>.schema.json}).
 *
 * <p>A checkpoint event goes through three gates, each with its own error kind: UTF-8 decoding and JSON
 * syntax ({@link ErrorKind#INVALID_JSON}, with the byte offset or line and column), the schema
 * ({@link ErrorKind#SCHEMA_VIOLATION}, naming the JSON pointer and the rule), and the mapping onto
 * {@link CheckpointEvent}. Semantic checks that need more than the schema (known architecture names,
 * normalisation length against the channel count, allowed paths) belong to the worker.
 *
 * <p>Thread-safe: the schemas are read from the classpath and compiled once, in the constructor, and
 * only read afterwards; every call decodes its own copy of the input. Create one per worker.
 */
public final class EventValidator {
    public static final String CHECKPOINT_EVENT = "checkpoint-event";
    public static final String SCORE_EVENT = "score-event";
    public static final String ALERT_EVENT = "alert-event";
    public static final String DEAD_LETTER = "dead-letter";
    /** Every schema this validator knows, by name. */
    public static final List<String> SCHEMA_NAMES = List.of(CHECKPOINT_EVENT, SCORE_EVENT, ALERT_EVENT, DEAD_LETTER);

    private static final String RESOURCE_DIR = "schemas/";
    private static final String SUFFIX = ".schema.json";

    private final Map<String, CompiledSchema> schemas = new LinkedHashMap<>();

    private record CompiledSchema(JsonObject json, Validator validator) { }

    /** Loads and compiles every schema in {@link #SCHEMA_NAMES}; fails if one is missing or malformed. */
    public EventValidator() {
        for (String name : SCHEMA_NAMES) {
            JsonObject json = new JsonObject(readResource(RESOURCE_DIR + name + SUFFIX));
            JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
                    .setOutputFormat(OutputFormat.Basic).setBaseUri("urn:memaudit:schema:");
            schemas.put(name, new CompiledSchema(json, Validator.create(JsonSchema.of(json.copy()), options)));
        }
    }

    /** The resource path of a schema, e.g. {@code schemas/checkpoint-event.schema.json}. */
    public static String resourcePath(String schemaName) {
        return RESOURCE_DIR + schemaName + SUFFIX;
    }

    /** Validates a Kafka record value: bytes that are not UTF-8 are {@link ErrorKind#INVALID_JSON}. */
    public ValidationResult<CheckpointEvent> validateCheckpoint(byte[] value) {
        if (value == null) {
            return ValidationResult.invalid(ErrorKind.INVALID_JSON, "the record has no value (null); expected a JSON object");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(value);
        CharBuffer out = CharBuffer.allocate(value.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            return ValidationResult.invalid(ErrorKind.INVALID_JSON, "the record value is not valid UTF-8: "
                    + String.format("malformed byte 0x%02x at offset %d", value[in.position()] & 0xff, in.position()));
        }
        decoder.flush(out);
        return validateCheckpoint(out.flip().toString());
    }

    /** Parses and validates one checkpoint event. */
    public ValidationResult<CheckpointEvent> validateCheckpoint(String json) {
        if (json == null || json.isBlank()) {
            return ValidationResult.invalid(ErrorKind.INVALID_JSON, "the record value is empty; expected a JSON object");
        }
        Object decoded;
        try {
            decoded = Json.decodeValue(json);
        } catch (DecodeException e) {
            return ValidationResult.invalid(ErrorKind.INVALID_JSON, describeSyntaxError(e));
        }
        String problems = check(CHECKPOINT_EVENT, decoded);
        if (problems == null) {
            problems = repeatedFeatureId((JsonObject) decoded);
        }
        if (problems != null) {
            return ValidationResult.invalid(ErrorKind.SCHEMA_VIOLATION, problems);
        }
        try {
            String canonical = ((JsonObject) decoded).encode();
            return ValidationResult.valid(io.memaudit.common.util.Json.COMPACT.fromJson(canonical, CheckpointEvent.class));
        } catch (JsonParseException | NumberFormatException e) {
            return ValidationResult.invalid(ErrorKind.SCHEMA_VIOLATION, "the event does not map onto CheckpointEvent: "
                    + e.getMessage());
        }
    }

    /**
     * Feature ids key the scores ({@code (runId, step, featureId)}), so they must be unique in an event:
     * a repeated id would be answered with the first feature's scores. JSON Schema cannot say "unique by
     * a property", so it is checked here.
     */
    private static String repeatedFeatureId(JsonObject event) {
        JsonArray features = event.getJsonObject("audit").getJsonArray("features");
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < features.size(); i++) {
            String id = features.getJsonObject(i).getString("id");
            Integer first = seen.putIfAbsent(id, i);
            if (first != null) {
                return "/audit/features/" + i + "/id: '" + id + "' repeats /audit/features/" + first
                        + "/id; feature ids must be unique in an event";
            }
        }
        return null;
    }

    /**
     * Validates an event against the named schema (one of {@link #SCHEMA_NAMES}, with or without the
     * {@code .schema.json} suffix): used to check what the worker publishes.
     */
    public ValidationResult<JsonObject> validate(String schemaName, JsonObject event) {
        if (event == null) {
            return ValidationResult.invalid(ErrorKind.INVALID_JSON, "no event (null)");
        }
        String problems = check(schemaName, event);
        return problems == null ? ValidationResult.valid(event)
                : ValidationResult.invalid(ErrorKind.SCHEMA_VIOLATION, problems);
    }

    /** The schema's JSON (a copy). */
    public JsonObject schema(String schemaName) {
        return compiled(schemaName).json().copy();
    }

    private String check(String schemaName, Object instance) {
        CompiledSchema schema = compiled(schemaName);
        OutputUnit unit = schema.validator().validate(instance);
        if (Boolean.TRUE.equals(unit.getValid())) {
            return null;
        }
        return SchemaErrors.describe(unit, schema.json(), instance);
    }

    private CompiledSchema compiled(String schemaName) {
        String name = schemaName.endsWith(SUFFIX) ? schemaName.substring(0, schemaName.length() - SUFFIX.length()) : schemaName;
        CompiledSchema schema = schemas.get(name);
        if (schema == null) {
            throw new IllegalArgumentException("unknown schema '" + schemaName + "'; known: " + String.join(", ", SCHEMA_NAMES));
        }
        return schema;
    }

    static String describeSyntaxError(DecodeException e) {
        if (e.getCause() instanceof JsonProcessingException jpe) {
            JsonLocation at = jpe.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            String what = jpe.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "[");
            return "invalid JSON" + where + ": " + what;
        }
        return "invalid JSON: " + e.getMessage();
    }

    private static String readResource(String path) {
        try (InputStream in = EventValidator.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("JSON schema " + path + " is not on the classpath (memaudit-common's resources)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JSON schema " + path, e);
        }
    }
}
