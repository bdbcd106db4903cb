package io.memaudit.worker;

import io.memaudit.common.events.DeadLetter;
import io.memaudit.common.model.TestCheckpoints;
import io.memaudit.common.util.Hashing;
import io.memaudit.common.util.Json;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records whose outcome is hard to publish, against the real broker: an oversize record becomes a
 * bounded dead letter; when even the dead letter cannot be published, the partition stops loudly
 * (metric, /ready) without committing past the record, and a restart with a working dead-letter topic
 * finishes it.
 */
@Tag("broker")
class PublishFailureTest {
    @TempDir
    static Path root;
    static PipelineHarness h;
    static Path good;

    @BeforeAll
    static void setUp() throws Exception {
        h = new PipelineHarness(root);
        // an untrained MLP checkpoint (common's test fixture): these tests need a loadable checkpoint, not a trained one
        good = root.resolve("run/ckpt-0001");
        TestCheckpoints.writeMlp(good, 3);
    }

    @AfterAll
    static void tearDown() throws Exception {
        h.close();
    }

    private static Map<String, String> config(String prefix, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(PipelineTest.topics(prefix));
        m.put("memaudit.topics.partitions", "1");
        m.put("memaudit.publish.retries", "1");
        m.put("memaudit.publish.backoff-ms", "50");
        m.putAll(extra);
        return m;
    }

    @Test
    void anOversizeRecordBecomesABoundedDeadLetterAndThePartitionMovesOn() throws Exception {
        h.start(h.config("g-big", "w-big", config("big", Map.of("memaudit.checkpoints.max-event-bytes", "50000",
                "memaudit.dlq.max-value-bytes", "4096"))), WorkerListener.NONE);
        String huge = "{\"pad\":\"" + "é".repeat(100_000) + "\"}";
        byte[] bytes = huge.getBytes(StandardCharsets.UTF_8);
        h.publishBytes("big.checkpoints", "huge", bytes);
        h.publish("big.checkpoints", "good", PipelineTest.event(good, "good", 1));
        DeadLetter d = Json.COMPACT.fromJson(h.read("big.dlq", 1, Duration.ofSeconds(60)).get(0).value(), DeadLetter.class);
        assertEquals("schema-violation", d.error().kind());
        assertTrue(d.error().message().contains("max-event-bytes"), d.error().message());
        assertEquals(bytes.length, d.original().size());
        assertEquals(Hashing.sha256(bytes), d.original().sha256());
        assertEquals(true, d.original().truncated());
        assertTrue(d.original().value().getBytes(StandardCharsets.UTF_8).length <= 4096, "cut to the limit");
        assertTrue(huge.startsWith(d.original().value()), "cut at a character boundary, not inside 'é'");
        assertEquals("good", PipelineTest.scores(h.read("big.scores", 1, Duration.ofSeconds(60))).get(0).runId());
        h.awaitCommitted("g-big", "big.checkpoints", 2, Duration.ofSeconds(30));
    }

    @Test
    void whenNoOutcomeCanBePublishedThePartitionStopsLoudlyAndARestartFinishesIt() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", h.kafka.bootstrapServers()))) {
            // a dead-letter topic that refuses every dead letter: each is larger than 200 bytes
            admin.createTopics(List.of(new NewTopic("stall.dlq", 1, (short) 1).configs(Map.of("max.message.bytes", "200"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        AuditWorker w = h.start(h.config("g-stall", "w-stall", config("stall", Map.of())), WorkerListener.NONE);
        h.publish("stall.checkpoints", "poison", "{not json");
        h.publish("stall.checkpoints", "good", PipelineTest.event(good, "after-poison", 1));
        assertEquals("after-poison", PipelineTest.scores(h.read("stall.scores", 1, Duration.ofSeconds(60))).get(0).runId());
        h.awaitTrue(() -> w.registry().scrape().contains("memaudit_partition_stalled{partition=\"0\",topic=\"stall.checkpoints\"} 1"),
                Duration.ofSeconds(30));
        HttpResponse<String> ready = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + w.managementPort() + "/ready")).timeout(java.time.Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, ready.statusCode());
        JsonObject stall = new JsonObject(ready.body()).getJsonArray("stalledPartitions").getJsonObject(0);
        assertEquals(0L, stall.getLong("offset"));
        assertTrue(stall.getString("reason").contains("RecordTooLarge"), stall.encode());
        Thread.sleep(1500); // the good record after it was scored; its commit must not pass the poison record
        assertEquals(0, h.committed("g-stall", "stall.checkpoints"));
        h.closeWorker(w);

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", h.kafka.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "stall.dlq");
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "1048576"),
                    AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }
        AuditWorker again = h.start(h.config("g-stall", "w-stall-2", config("stall", Map.of())), WorkerListener.NONE);
        DeadLetter d = Json.COMPACT.fromJson(h.read("stall.dlq", 1, Duration.ofSeconds(60)).get(0).value(), DeadLetter.class);
        assertEquals("invalid-json", d.error().kind());
        h.awaitCommitted("g-stall", "stall.checkpoints", 2, Duration.ofSeconds(30));
        assertTrue(!again.registry().scrape().contains("memaudit_partition_stalled{partition=\"0\",topic=\"stall.checkpoints\"} 1"));
    }
}
