package io.memaudit.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleConfigTest {
    private static final String EXAMPLE = "deploy/worker.example.properties";

    /** The repository root: the nearest directory above the module holding common/ and pom.xml. */
    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("common")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void committedExampleIsWhatTheKeyTableRenders() throws IOException {
        Path example = repositoryRoot().resolve(EXAMPLE);
        String rendered = ExampleConfig.render();
        if (Boolean.getBoolean("memaudit.example.update")) {
            Files.writeString(example, rendered);
        }
        String committed = Files.exists(example) ? Files.readString(example) : "";
        if (!committed.equals(rendered)) {
            Path fresh = Path.of("target", "worker.example.properties");
            Files.createDirectories(fresh.getParent());
            Files.writeString(fresh, rendered);
            fail(EXAMPLE + " is out of date with ConfigKeys; rerun this test with -Dmemaudit.example.update=true "
                    + "(or copy services/audit-worker/" + fresh + ")");
        }
    }

    @Test
    void exampleListsEveryKeyWithItsDefaultAndLoads() throws IOException {
        String text = ExampleConfig.render();
        for (ConfigKey key : ConfigKeys.ALL) {
            String line = key.required() ? key.name() + "=" + key.example() : "#" + key.name() + "=" + key.defaultValue();
            assertTrue(text.contains("\n" + line + "\n"), line);
            assertTrue(text.contains("# " + key.doc() + "\n"), key.doc());
            assertTrue(text.contains("env " + key.envVar() + "\n"), key.envVar());
        }
        Path file = Files.createTempFile("worker", ".properties");
        try {
            Files.writeString(file, text.replaceAll("\n#(memaudit\\.)", "\n$1"));
            WorkerConfig uncommented = WorkerConfig.load(file, Map.of());
            WorkerConfig defaults = WorkerConfig.of(Map.of(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS.name(), "localhost:9092"));
            for (ConfigKey key : ConfigKeys.ALL) {
                assertEquals(defaults.get(key), uncommented.get(key), key.name());
            }
        } finally {
            Files.delete(file);
        }
    }
}
