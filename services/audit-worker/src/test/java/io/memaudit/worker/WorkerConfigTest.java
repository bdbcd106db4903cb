package io.memaudit.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigTest {
    private static final Map<String, String> BOOTSTRAP = Map.of("memaudit.kafka.bootstrap.servers", "broker:9092");

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String problem(Map<String, String> settings) {
        ConfigException e = assertThrows(ConfigException.class, () -> WorkerConfig.of(settings));
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }

    private static Map<String, String> withBootstrap(String key, String value) {
        return Map.of("memaudit.kafka.bootstrap.servers", "broker:9092", key, value);
    }

    @Test
    void defaultsComeFromTheTable() {
        WorkerConfig c = WorkerConfig.of(BOOTSTRAP);
        assertEquals("memaudit.checkpoints", c.topicCheckpoints());
        assertEquals("memaudit.scores", c.topicScores());
        assertEquals("memaudit.alerts", c.topicAlerts());
        assertEquals("memaudit.checkpoints.dlq", c.topicDlq());
        assertTrue(c.topicsAutoCreate());
        assertEquals(3, c.topicsPartitions());
        assertEquals((short) 1, c.topicsReplicationFactor());
        assertEquals("memaudit-audit", c.groupId());
        assertTrue(c.workerId().endsWith("-" + ProcessHandle.current().pid()), c.workerId());
        assertEquals(8, c.maxInFlight());
        assertEquals(4, c.resumeInFlight());
        assertEquals(List.of("auto"), c.devices());
        assertEquals(2000, c.scoringChunk());
        assertEquals(20000, c.probesMax());
        assertEquals(Optional.empty(), c.dataDir());
        assertEquals(List.of(Path.of("").toAbsolutePath().normalize()), c.allowedRoots());
        assertEquals(2147483648L, c.checkpointsMaxBytes());
        assertEquals(0.066, c.trendThreshold());
        assertEquals(3, c.trendRisingCheckpoints());
        assertEquals(0.008, c.trendRisingMinDelta());
        assertFalse(c.trendVerdictChange());
        assertEquals("p <= 0.01 at 2 consecutive audited checkpoints", c.verdictRule().toString());
        assertEquals(io.memaudit.common.score.SequentialStop.DEFAULT, c.sequentialStop(), "audits stop early unless asked not to");
        assertEquals(Duration.ofSeconds(30), c.shutdownTimeout());
        assertEquals(9404, c.managementPort());
        assertEquals(Map.of("bootstrap.servers", "broker:9092"), c.kafkaClientProperties());
    }

    @Test
    void propertiesAndYamlLoadTheSameValues() throws IOException {
        Path properties = write("worker.properties", """
                memaudit.kafka.bootstrap.servers=a:9092,b:9093
                memaudit.topic.scores=team.scores
                memaudit.max-in-flight=16
                memaudit.scoring.devices=gpu:0,gpu:1
                memaudit.checkpoints.allowed-roots=/srv/runs,/data/../data/ckpt
                memaudit.trend.threshold=0.1
                memaudit.topics.auto-create=false
                kafka.security.protocol=SSL
                """);
        Path yaml = write("worker.yaml", """
                memaudit:
                  kafka:
                    bootstrap.servers: [a:9092, b:9093]
                  topic:
                    scores: team.scores
                  max-in-flight: 16
                  scoring:
                    devices:
                      - gpu:0
                      - gpu:1
                  checkpoints.allowed-roots: [/srv/runs, /data/../data/ckpt]
                  trend: {threshold: 0.1}
                  topics:
                    auto-create: false
                kafka:
                  security.protocol: SSL
                """);
        WorkerConfig fromProperties = WorkerConfig.load(properties, Map.of());
        WorkerConfig fromYaml = WorkerConfig.load(yaml, Map.of());
        for (ConfigKey key : ConfigKeys.ALL) {
            assertEquals(fromProperties.get(key), fromYaml.get(key), key.name());
        }
        assertEquals(fromProperties.kafkaClientProperties(), fromYaml.kafkaClientProperties());
        assertEquals("a:9092,b:9093", fromYaml.bootstrapServers());
        assertEquals(List.of("gpu:0", "gpu:1"), fromYaml.devices());
        assertEquals(List.of(Path.of("/srv/runs"), Path.of("/data/ckpt")), fromYaml.allowedRoots());
        assertEquals(16, fromYaml.maxInFlight());
        assertFalse(fromYaml.topicsAutoCreate());
        assertEquals("SSL", fromYaml.kafkaClientProperties().get("security.protocol"));
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        Path file = write("w.properties", "memaudit.kafka.bootstrap.servers=a:1\nmemaudit.topic.scores=from.file\n");
        WorkerConfig c = WorkerConfig.load(file, Map.of("MEMAUDIT_TOPIC_SCORES", "from.env", "MEMAUDIT_MAX_IN_FLIGHT", "2",
                "MEMAUDIT_TREND_RISING_MIN_DELTA", "0.01"));
        assertEquals("from.env", c.topicScores());
        assertEquals(2, c.maxInFlight());
        assertEquals(0.01, c.trendRisingMinDelta());
        assertTrue(c.describe().contains("from.env  (env MEMAUDIT_TOPIC_SCORES)"), c.describe());
        assertEquals("from.x", c.withOverrides(Map.of("memaudit.topic.scores", "from.x")).topicScores());
    }

    @Test
    void requiredKeyCanComeFromTheEnvironmentAlone() {
        WorkerConfig c = WorkerConfig.load(null, Map.of("MEMAUDIT_KAFKA_BOOTSTRAP_SERVERS", "k:9092"));
        assertEquals("k:9092", c.kafkaClientProperties().get("bootstrap.servers"));
    }

    @Test
    void kafkaSettingsPassThroughFromFileAndEnvironment() throws IOException {
        Path file = write("w.yml", "memaudit.kafka.bootstrap.servers: b:9092\nkafka:\n  security.protocol: SASL_SSL\n"
                + "  client.id: memaudit-worker\n");
        WorkerConfig c = WorkerConfig.load(file, Map.of("KAFKA_SASL_JAAS_CONFIG", "ScramLoginModule required password=\"p\";",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "KAFKA_HEAP_OPTS", "-Xmx1g", "PATH", "/bin"));
        assertEquals(Map.of("bootstrap.servers", "b:9092", "security.protocol", "SASL_SSL", "client.id", "memaudit-worker",
                "sasl.jaas.config", "ScramLoginModule required password=\"p\";", "sasl.mechanism", "SCRAM-SHA-512"),
                c.kafkaClientProperties());
        assertEquals(List.of("env KAFKA_HEAP_OPTS ignored: 'heap.opts' is not a Kafka client setting"), c.warnings());
    }

    @Test
    void unknownClientSettingFromAFileIsPassedWithAWarning() {
        WorkerConfig c = WorkerConfig.of(withBootstrap("kafka.schema.registry.url", "http://r:8081"));
        assertEquals("http://r:8081", c.kafkaClientProperties().get("schema.registry.url"));
        assertTrue(c.warnings().get(0).contains("'schema.registry.url' is not a Kafka client setting; passed through anyway"));
    }

    @Test
    void settingsTheWorkerManagesAreRefused() {
        assertEquals("kafka.group.id (override) cannot be set: use memaudit.group.id", problem(withBootstrap("kafka.group.id", "g")));
        assertTrue(problem(withBootstrap("kafka.enable.auto.commit", "true")).contains("the worker commits offsets itself"));
    }

    @Test
    void kafkaBootstrapServersStandsInForTheRequiredKey() {
        assertEquals("x:1", WorkerConfig.of(Map.of("kafka.bootstrap.servers", "x:1")).bootstrapServers());
        assertTrue(problem(withBootstrap("kafka.bootstrap.servers", "other:1")).startsWith(
                "kafka.bootstrap.servers = 'other:1' (override) differs from memaudit.kafka.bootstrap.servers"));
    }

    @Test
    void unknownKeyNamesTheClosestKnownKey() {
        assertEquals("unknown key memaudit.topic.score (override); did you mean memaudit.topic.scores?",
                problem(withBootstrap("memaudit.topic.score", "x")));
        assertEquals("unknown key memaudit.maxinflight (override); did you mean memaudit.max-in-flight?",
                problem(withBootstrap("memaudit.maxinflight", "4")));
        assertTrue(problem(withBootstrap("topic.scores", "x")).startsWith("unknown key topic.scores (override): worker settings"));
    }

    @Test
    void badValuesNameKeyValueAndWhatIsAllowed() {
        assertEquals("memaudit.max-in-flight = 'abc': expected an integer >= 1 [override]",
                problem(withBootstrap("memaudit.max-in-flight", "abc")));
        assertEquals("memaudit.max-in-flight = '0': expected an integer >= 1 [override]",
                problem(withBootstrap("memaudit.max-in-flight", "0")));
        assertEquals("memaudit.management.port = '70000': expected an integer from 0 to 65535 [override]",
                problem(withBootstrap("memaudit.management.port", "70000")));
        assertEquals("memaudit.topics.auto-create = 'yes': expected true or false [override]",
                problem(withBootstrap("memaudit.topics.auto-create", "yes")));
        assertEquals("memaudit.trend.threshold = 'NaN': expected a number >= 0.0 [override]",
                problem(withBootstrap("memaudit.trend.threshold", "NaN")));
        assertEquals("memaudit.topic.dlq = 'dead letters': expected a Kafka topic name (1-249 of A-Z a-z 0-9 . _ -) [override]",
                problem(withBootstrap("memaudit.topic.dlq", "dead letters")));
        assertEquals("memaudit.scoring.devices = 'cpu,gpu:x': expected a comma list of auto, cpu, gpu:N (auto alone)"
                + " ('gpu:x' is not a device) [override]", problem(withBootstrap("memaudit.scoring.devices", "cpu,gpu:x")));
        assertTrue(problem(withBootstrap("memaudit.scoring.devices", "auto,cpu")).startsWith("memaudit.scoring.devices = 'auto,cpu'"));
        assertEquals(List.of("cpu", "gpu:3"), WorkerConfig.of(withBootstrap("memaudit.scoring.devices", " cpu , gpu:3 ")).devices());
    }

    @Test
    void sequentialAuditsCanBeTurnedOffAndTuned() {
        assertEquals(null, WorkerConfig.of(withBootstrap("memaudit.audit.sequential", "false")).sequentialStop(),
                "off: every audit scores all N probes for every control");
        Map<String, String> on = new java.util.HashMap<>(withBootstrap("memaudit.audit.sequential", "true"));
        assertEquals(io.memaudit.common.score.SequentialStop.DEFAULT, WorkerConfig.of(on).sequentialStop());
        on.put("memaudit.audit.sequential.block", "100");
        on.put("memaudit.audit.sequential.flip-probability", "0.01");
        assertEquals(new io.memaudit.common.score.SequentialStop(100, 0.01), WorkerConfig.of(on).sequentialStop());
        assertEquals("memaudit.audit.sequential.block = '1': expected an integer from 2 to 1000000 [override]",
                problem(withBootstrap("memaudit.audit.sequential.block", "1")));
        assertEquals("memaudit.audit.sequential.flip-probability = '1': expected a number above 0.0 and below 1.0 [override]",
                problem(withBootstrap("memaudit.audit.sequential.flip-probability", "1")));
    }

    @Test
    void logFormatAndKafkaCheckTimeoutAreValidated() {
        assertEquals(io.memaudit.worker.log.LogFormat.TEXT, WorkerConfig.of(BOOTSTRAP).logFormat());
        assertEquals(io.memaudit.worker.log.LogFormat.JSON, WorkerConfig.load(null, Map.of("MEMAUDIT_LOG_FORMAT", "JSON",
                "MEMAUDIT_KAFKA_BOOTSTRAP_SERVERS", "k:1")).logFormat());
        assertEquals("memaudit.log.format = 'xml': expected text or json [override]",
                problem(withBootstrap("memaudit.log.format", "xml")));
        assertEquals(java.time.Duration.ofSeconds(10), WorkerConfig.of(BOOTSTRAP).kafkaCheckTimeout());
        assertEquals("memaudit.kafka.check-timeout-ms = '5': expected an integer >= 100 [override]",
                problem(withBootstrap("memaudit.kafka.check-timeout-ms", "5")));
        assertTrue(WorkerConfig.of(withBootstrap("memaudit.log.format", "json")).describe()
                .matches("(?s).*memaudit\\.log\\.format += json  \\(override\\).*"),
                "the key padded to the longest key's width, its value and where it came from");
    }

    @Test
    void badValueFromTheEnvironmentNamesTheVariable() {
        ConfigException e = assertThrows(ConfigException.class, () -> WorkerConfig.load(null,
                Map.of("MEMAUDIT_KAFKA_BOOTSTRAP_SERVERS", "b:1", "MEMAUDIT_SCORING_CHUNK", "-5")));
        assertEquals(List.of("memaudit.scoring.chunk = '-5': expected an integer from 1 to 1000000 [env MEMAUDIT_SCORING_CHUNK]"),
                e.problems());
    }

    @Test
    void missingBootstrapNamesTheKeyAndItsVariable() {
        ConfigException e = assertThrows(ConfigException.class, () -> WorkerConfig.load(null, Map.of()));
        assertEquals(List.of("memaudit.kafka.bootstrap.servers is required: set it in the config file or with the "
                + "environment variable MEMAUDIT_KAFKA_BOOTSTRAP_SERVERS (a comma list of host:port, e.g. localhost:9092)"),
                e.problems());
        assertTrue(problem(Map.of("memaudit.kafka.bootstrap.servers", "broker")).contains("('broker' is not host:port)"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () -> WorkerConfig.of(Map.of(
                "memaudit.topic.scorez", "x", "memaudit.scoring.chunk", "big")));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().startsWith("invalid configuration (3 problems):\n  "), e.getMessage());
    }

    @Test
    void describeListsEveryKeyAndMasksSecrets() {
        WorkerConfig c = WorkerConfig.of(Map.of("memaudit.kafka.bootstrap.servers", "b:9092",
                "kafka.sasl.jaas.config", "PlainLoginModule required password=\"hunter2\";",
                "kafka.ssl.truststore.password", "changeit", "kafka.ssl.keystore.key", "-----BEGIN PRIVATE KEY-----",
                "kafka.security.protocol", "SASL_SSL"));
        String text = c.describe();
        for (ConfigKey key : ConfigKeys.ALL) {
            assertTrue(text.contains(key.name() + " "), key.name());
        }
        assertFalse(text.contains("hunter2") || text.contains("changeit") || text.contains("PRIVATE KEY"), text);
        assertTrue(text.contains("kafka.sasl.jaas.config") && text.contains("= ******  (override)"), text);
        assertTrue(text.contains("SASL_SSL  (override)"), text);
        assertTrue(text.contains("memaudit.topic.scores") && text.contains("= memaudit.scores  (default)"), text);
    }

    @Test
    void environmentVariablesAreDistinctAndTyposWarned() {
        Set<String> variables = new HashSet<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            assertTrue(key.name().startsWith(ConfigKeys.PREFIX), key.name());
            assertTrue(variables.add(key.envVar()), key.envVar());
        }
        assertEquals("MEMAUDIT_TOPICS_AUTO_CREATE", ConfigKeys.TOPICS_AUTO_CREATE.envVar());
        WorkerConfig c = WorkerConfig.load(null, Map.of("MEMAUDIT_KAFKA_BOOTSTRAP_SERVERS", "b:1",
                "MEMAUDIT_TOPIC_SCORE", "x", "MEMAUDIT_JAVA_OPTS", "-Xmx8g"));
        assertEquals(List.of("environment variable MEMAUDIT_TOPIC_SCORE sets nothing; did you mean MEMAUDIT_TOPIC_SCORES?"),
                c.warnings());
    }

    @Test
    void fileErrorsNameTheFile() throws IOException {
        Path dup = write("dup.yaml", "memaudit:\n  group.id: a\n  group.id: b\n");
        assertTrue(assertThrows(ConfigException.class, () -> WorkerConfig.load(dup, Map.of())).getMessage()
                .startsWith("config file " + dup + " is not valid YAML"));
        Path toml = write("w.toml", "x = 1");
        assertEquals("config file " + toml + ": unknown format; use .properties, .yaml or .yml",
                assertThrows(ConfigException.class, () -> WorkerConfig.load(toml, Map.of())).getMessage());
        Path missing = dir.resolve("none.properties");
        assertEquals("config file " + missing + " does not exist",
                assertThrows(ConfigException.class, () -> WorkerConfig.load(missing, Map.of())).getMessage());
    }

    @Test
    void emptyOptionalValuesMeanTheDefault() {
        WorkerConfig c = WorkerConfig.of(Map.of("memaudit.kafka.bootstrap.servers", "b:1", "memaudit.data.dir", "",
                "memaudit.worker.id", "audit-1", "memaudit.checkpoints.allowed-roots", ""));
        assertEquals(Optional.empty(), c.dataDir());
        assertEquals("audit-1", c.workerId());
        assertEquals(1, c.allowedRoots().size());
        assertEquals(Optional.of(Path.of("/var/cache/x")), c.withOverrides(Map.of("memaudit.data.dir", "/var/cache/./x")).dataDir());
    }
}
