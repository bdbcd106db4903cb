package io.memaudit.cli.faults;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.CheckpointEvents;
import io.memaudit.common.events.DeadLetter;
import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.util.Json;
import io.memaudit.kafka.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One fault case's world: a real broker, a topic set and group of its own, the records it publishes,
 * and the check every case ends with — each (run, step, feature) has exactly one fresh score or one
 * dead letter, and the group has committed every partition to its end.
 */
final class FaultBench {
    final EmbeddedKafka kafka;
    final String prefix;
    final String group;
    final Path root;
    final Path data;
    /** Keys expected to end with one fresh score: "run/step". */
    final List<String> expectScores = new ArrayList<>();
    /** Record keys expected to end as one dead letter each. */
    final List<String> expectDeadLetters = new ArrayList<>();
    private int published;

    FaultBench(EmbeddedKafka kafka, String prefix, Path root, Path data) {
        this.kafka = kafka;
        this.prefix = prefix;
        this.group = "g-" + prefix;
        this.root = root;
        this.data = data;
    }

    /** The worker settings of this case. */
    Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("memaudit.kafka.bootstrap.servers", kafka.bootstrapServers());
        s.put("memaudit.checkpoints.allowed-roots", root.toString());
        s.put("memaudit.data.dir", data.toString());
        s.put("memaudit.management.port", "0");
        s.put("memaudit.scoring.devices", "cpu");
        s.put("memaudit.group.id", group);
        s.put("memaudit.topic.checkpoints", prefix + ".checkpoints");
        s.put("memaudit.topic.scores", prefix + ".scores");
        s.put("memaudit.topic.alerts", prefix + ".alerts");
        s.put("memaudit.topic.dlq", prefix + ".dlq");
        s.put("memaudit.topics.partitions", "3");
        return s;
    }

    /** Publishes {@code runs} × {@code steps} checkpoint events of one good checkpoint (N = 50 probes). */
    void publishCheckpoints(Path ckpt, int runs, int steps, String runPrefix) throws Exception {
        CheckpointMetadata m = CheckpointStore.readMetadata(ckpt);
        CheckpointEvent base = CheckpointEvents.fromCheckpoint(ckpt, m, List.of("glyph:A"), "mnist-gray-28", 50);
        for (int step = 1; step <= steps; step++) {
            for (int r = 0; r < runs; r++) {
                String run = runPrefix + r;
                CheckpointEvent e = new CheckpointEvent(base.schemaVersion(), run, step, step, base.createdAt(), base.model(),
                        base.audit(), base.trainingMetrics());
                publish(run, Json.COMPACT.toJson(e).getBytes(StandardCharsets.UTF_8));
                expectScores.add(run + "/" + step);
            }
        }
    }

    /** A record that must end as exactly one dead letter. */
    void publishPoison(String key, byte[] value) throws Exception {
        publish(key, value);
        expectDeadLetters.add(key);
    }

    /** An event of the good checkpoint whose only feature is the image at {@code image}: one dead letter. */
    void publishImageFeature(Path ckpt, String runId, Path image) throws Exception {
        CheckpointMetadata m = CheckpointStore.readMetadata(ckpt);
        JsonObject e = JsonParser.parseString(Json.COMPACT.toJson(
                CheckpointEvents.fromCheckpoint(ckpt, m, List.of("glyph:A"), "mnist-gray-28", 50))).getAsJsonObject();
        e.addProperty("runId", runId);
        JsonObject f = new JsonObject();
        f.addProperty("id", "image-feature");
        f.addProperty("kind", "image");
        f.addProperty("imageUri", image.toUri().toString());
        JsonArray pos = new JsonArray();
        pos.add(1);
        pos.add(1);
        f.add("position", pos);
        JsonArray features = new JsonArray();
        features.add(f);
        e.getAsJsonObject("audit").add("features", features);
        publishPoison(runId, e.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Counts records published through another bench on the same topic (after a broker restart). */
    void addPublished(int n) {
        published += n;
    }

    private void publish(String key, byte[] value) throws Exception {
        Map<String, Object> p = Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all",
                "max.request.size", String.valueOf(8 << 20));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(prefix + ".checkpoints", key, value)).get(30, TimeUnit.SECONDS);
        }
        published++;
    }

    int published() {
        return published;
    }

    /** Waits until the group has committed every record, then checks the outcome of each. */
    void verify(Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        long committed;
        while ((committed = committed()) < published) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(prefix + ": committed " + committed + " of " + published + " records within " + timeout);
            }
            Thread.sleep(200);
        }
        Map<String, Integer> fresh = new HashMap<>();
        for (String v : read(prefix + ".scores")) {
            ScoreEvent s = Json.COMPACT.fromJson(v, ScoreEvent.class);
            if (!s.duplicate()) {
                fresh.merge(s.runId() + "/" + s.step(), 1, Integer::sum);
            }
        }
        Map<String, Integer> letters = new HashMap<>();
        for (String v : read(prefix + ".dlq")) {
            letters.merge(Json.COMPACT.fromJson(v, DeadLetter.class).original().key(), 1, Integer::sum);
        }
        for (String key : expectScores) {
            if (fresh.getOrDefault(key, 0) != 1) {
                throw new AssertionError(prefix + ": " + key + " has " + fresh.getOrDefault(key, 0) + " fresh scores, expected 1");
            }
        }
        for (String key : expectDeadLetters) {
            if (letters.getOrDefault(key, 0) != 1) {
                throw new AssertionError(prefix + ": " + key + " has " + letters.getOrDefault(key, 0) + " dead letters, expected 1");
            }
        }
        if (fresh.size() != expectScores.size() || letters.size() != expectDeadLetters.size()) {
            throw new AssertionError(prefix + ": unexpected outcomes: scores " + fresh.keySet() + ", dead letters " + letters.keySet());
        }
    }

    long committed() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .entrySet().stream().filter(e -> e.getKey().topic().equals(prefix + ".checkpoints") && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    private List<String> read(String topic) {
        List<String> out = new ArrayList<>();
        Map<String, Object> p = Map.of("bootstrap.servers", kafka.bootstrapServers(), "group.id", "reader-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "enable.auto.commit", "false");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long start = System.currentTimeMillis();
            long quietSince = start;
            long deadline = start + 30_000;
            // at least 5 s (the group must be joined first), then until 1.5 s pass without a record
            while ((System.currentTimeMillis() - start < 5000 || System.currentTimeMillis() - quietSince < 1500)
                    && System.currentTimeMillis() < deadline) {
                var records = c.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    records.forEach(r -> out.add(r.value()));
                    quietSince = System.currentTimeMillis();
                }
            }
        }
        return out;
    }
}
