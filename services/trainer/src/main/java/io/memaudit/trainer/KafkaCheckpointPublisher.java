package io.memaudit.trainer;

import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.CheckpointEvents;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.util.Json;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes a checkpoint event (key = runId) after each checkpoint the trainer saves, and waits for
 * Kafka's acknowledgement so that a saved checkpoint is never silently left unaudited.
 */
public final class KafkaCheckpointPublisher implements CheckpointListener, AutoCloseable {
    public static final String DEFAULT_TOPIC = "memaudit.checkpoints";

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final List<String> features;
    private final String probeSet;
    private final int probes;

    /**
     * @param clientProps Kafka client settings; must contain bootstrap.servers
     * @param features    feature specs to audit (usually the planted one)
     */
    public KafkaCheckpointPublisher(Map<String, String> clientProps, String topic, List<String> features, String probeSet,
                                    int probes) {
        Map<String, Object> props = new HashMap<>(clientProps);
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.putIfAbsent("client.id", "memaudit-trainer");
        props.putIfAbsent("max.block.ms", "30000");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        this.topic = topic;
        this.features = List.copyOf(features);
        this.probeSet = probeSet;
        this.probes = probes;
    }

    @Override
    public void onCheckpoint(Path checkpointDir, CheckpointMetadata metadata) {
        publish(CheckpointEvents.fromCheckpoint(checkpointDir, metadata, features, probeSet, probes));
    }

    /** Sends one event and waits (up to 60 s) for the broker's acknowledgement. */
    public RecordMetadata publish(CheckpointEvent event) {
        try {
            return producer.send(new ProducerRecord<>(topic, event.runId(), Json.COMPACT.toJson(event))).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing checkpoint event of run " + event.runId() + " step " + event.step()
                    + " to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the checkpoint event of run " + event.runId()
                    + " step " + event.step() + " within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
