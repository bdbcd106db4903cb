package io.memaudit.worker;

import io.memaudit.common.data.ImageSet;
import io.memaudit.common.data.SyntheticImages;
import io.memaudit.common.scoring.ProbeProvider;
import io.memaudit.kafka.EmbeddedKafka;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A real in-process broker, workers on it, and plain clients to feed and read the topics. */
final class PipelineHarness implements AutoCloseable {
    static final ImageSet PROBES = SyntheticImages.generate("probes", 300, 1, 28, 28, 10, 42);
    /** Generated probe images for any preset name (the preset name is still checked by the worker). */
    static final ProbeProvider SYNTHETIC_PROBES = (name, n, seed, shape) -> {
        int[] idx = new int[Math.min(n, PROBES.size())];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        if (n > PROBES.size()) {
            throw new IllegalArgumentException("probe set " + name + " has " + PROBES.size() + " images, asked for " + n);
        }
        return PROBES.subset(name, idx);
    };

    final EmbeddedKafka kafka;
    final Path root;
    private final List<Vertx> vertxes = new ArrayList<>();
    private final KafkaProducer<String, byte[]> producer;

    PipelineHarness(Path root) {
        this.root = root;
        this.kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults());
        Map<String, Object> p = new HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    WorkerConfig config(String group, String workerId, Map<String, String> extra) {
        Map<String, String> o = new HashMap<>(Map.of(
                "memaudit.kafka.bootstrap.servers", kafka.bootstrapServers(),
                "memaudit.checkpoints.allowed-roots", root.toString(),
                "memaudit.scoring.devices", "cpu",
                "memaudit.group.id", group,
                "memaudit.worker.id", workerId,
                "memaudit.shutdown.timeout-ms", "20000",
                "memaudit.management.port", "0"));
        o.putAll(extra);
        return WorkerConfig.of(o);
    }

    AuditWorker start(WorkerConfig cfg, WorkerListener listener) throws Exception {
        return start(cfg, listener, SYNTHETIC_PROBES);
    }

    AuditWorker start(WorkerConfig cfg, WorkerListener listener, ProbeProvider probes) throws Exception {
        var registry = WorkerRuntime.newRegistry();
        Vertx vertx = WorkerRuntime.newVertx(registry);
        vertxes.add(vertx);
        return AuditWorker.start(vertx, cfg, listener, probes, registry).toCompletionStage().toCompletableFuture()
                .get(120, TimeUnit.SECONDS);
    }

    void publish(String topic, String key, String value) throws Exception {
        publishBytes(topic, key, value.getBytes(StandardCharsets.UTF_8));
    }

    void publishBytes(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    /** Reads {@code count} records of a topic from the beginning (fails after the timeout). */
    List<ConsumerRecord<String, String>> read(String topic, int count, Duration timeout) {
        Map<String, Object> p = new HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "group.id", "reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest", "enable.auto.commit", "false"));
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (out.size() < count && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        if (out.size() < count) {
            throw new AssertionError("expected " + count + " records on " + topic + " within " + timeout + ", got " + out.size());
        }
        return out;
    }

    /** Reads at least {@code count} records, then keeps reading for 2 s more so that extra records are seen too. */
    List<ConsumerRecord<String, String>> readSettled(String topic, int count, Duration timeout) throws Exception {
        read(topic, count, timeout);
        Thread.sleep(2000);
        return read(topic, count, Duration.ofSeconds(5));
    }

    void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    void awaitCommitted(String group, String topic, long total, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        long got;
        while ((got = committed(group, topic)) != total) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("group " + group + " committed " + got + " on " + topic + ", expected " + total);
            }
            Thread.sleep(100);
        }
    }

    /** Stops a worker (gracefully) and closes its Vert.x instance. */
    void closeWorker(AuditWorker w) throws Exception {
        w.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        Vertx v = w.vertx();
        closeVertx(v);
    }

    /** Sum over partitions of the group's committed offsets on a topic. */
    long committed(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            return m.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    /** Forgets a group's commits, as if its worker died before committing anything. */
    void resetGroup(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
            for (var p : admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
                zero.put(new TopicPartition(topic, p.partition()), new OffsetAndMetadata(0));
            }
            admin.alterConsumerGroupOffsets(group, zero).all().get(30, TimeUnit.SECONDS);
        }
    }

    void closeVertx(Vertx v) throws Exception {
        v.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        vertxes.remove(v);
    }

    @Override
    public void close() throws Exception {
        for (Vertx v : List.copyOf(vertxes)) {
            closeVertx(v);
        }
        producer.close(Duration.ofSeconds(5));
        kafka.close();
    }
}
