package io.memaudit.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.ErrorKind;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/EVENTS.md shows exactly the example files, and what the examples claim is what the validator does. */
class EventExamplesTest {
    private static final Pattern EXAMPLE = Pattern.compile("<!-- example: ([a-z-]+) -->\\s*```json\\n(.*?)\\n```", Pattern.DOTALL);
    private static final EventValidator VALIDATOR = new EventValidator();

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("common")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void eventsDocShowsEveryExampleFileVerbatim() throws IOException {
        String doc = Files.readString(repositoryRoot().resolve("docs/EVENTS.md"));
        Map<String, String> shown = new LinkedHashMap<>();
        Matcher m = EXAMPLE.matcher(doc);
        while (m.find()) {
            shown.put(m.group(1), m.group(2));
        }
        assertTrue(shown.keySet().containsAll(EventValidator.SCHEMA_NAMES), "an example of every event: " + shown.keySet());
        for (String name : shown.keySet()) {
            assertTrue(EventValidator.SCHEMA_NAMES.stream().anyMatch(s -> name.equals(s) || name.startsWith(s + "-")),
                    name + " names no schema");
            assertEquals(EventValidatorTest.example(name).strip(), shown.get(name), "docs/EVENTS.md example " + name);
        }
        for (String name : EventValidator.SCHEMA_NAMES) {
            assertTrue(doc.contains("(../common/src/main/resources/" + EventValidator.resourcePath(name) + ")"), name);
        }
    }

    @Test
    void theOnnxExampleIsAValidCheckpointEvent() {
        ValidationResult<CheckpointEvent> r = VALIDATOR.validateCheckpoint(EventValidatorTest.example("checkpoint-event-onnx"));
        assertTrue(r.isValid(), r.message());
        assertEquals("onnx", r.value().model().format());
        assertEquals(Integer.valueOf(4), r.value().audit().features().get(1).scale());
    }

    @Test
    void deadLetterExampleCarriesTheValidatorsOwnMessage() {
        JsonObject letter = new JsonObject(EventValidatorTest.example("dead-letter"));
        ValidationResult<CheckpointEvent> result = VALIDATOR.validateCheckpoint(letter.getJsonObject("original").getString("value"));
        assertEquals(letter.getJsonObject("error").getString("kind"), result.errorKind().wire());
        assertEquals(letter.getJsonObject("error").getString("message"), result.message());
    }

    @Test
    void oneValidatorServesManyThreads() throws Exception {
        String good = EventValidatorTest.example("checkpoint-event");
        String bad = new JsonObject(good).put("step", -3).encode();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                boolean valid = i % 2 == 0;
                results.add(pool.submit(() -> {
                    ValidationResult<CheckpointEvent> r = VALIDATOR.validateCheckpoint(valid ? good : bad);
                    return valid ? r.isValid() : r.errorKind() == ErrorKind.SCHEMA_VIOLATION
                            && r.message().equals("/step: -3 is less than the minimum 0");
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
