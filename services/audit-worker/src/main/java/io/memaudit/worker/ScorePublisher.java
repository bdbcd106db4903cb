package io.memaudit.worker;

import io.memaudit.common.events.AlertEvent;
import io.memaudit.common.events.DeadLetter;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.util.Hashing;
import io.memaudit.common.util.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes score events, alerts and dead-letter records (key = runId, acks=all, idempotent). Every
 * returned future completes only when Kafka has acknowledged the record: the consumer commits after.
 */
final class ScorePublisher {
    private final KafkaProducer<String, String> producer;
    private final String scoresTopic;
    private final String alertsTopic;
    private final String dlqTopic;
    private final String workerId;
    private final int maxValueBytes;

    ScorePublisher(Vertx vertx, Map<String, String> clientProps, String scoresTopic, String alertsTopic, String dlqTopic,
                   String workerId, int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
        Map<String, String> props = new HashMap<>(clientProps);
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.putIfAbsent("client.id", workerId + "-publisher");
        this.producer = KafkaProducer.create(vertx, props, new StringSerializer(), new StringSerializer());
        this.scoresTopic = scoresTopic;
        this.alertsTopic = alertsTopic;
        this.dlqTopic = dlqTopic;
        this.workerId = workerId;
    }

    Future<Void> scores(List<ScoreEvent> scores) {
        List<Future<?>> sent = new ArrayList<>();
        scores.forEach(s -> sent.add(send(scoresTopic, s.runId(), Json.COMPACT.toJson(s))));
        return Future.all(sent).mapEmpty();
    }

    Future<Void> alerts(List<AlertEvent> alerts) {
        List<Future<?>> sent = new ArrayList<>();
        alerts.forEach(a -> sent.add(send(alertsTopic, a.runId(), Json.COMPACT.toJson(a))));
        return Future.all(sent).mapEmpty();
    }

    Future<Void> deadLetter(KafkaConsumerRecord<String, byte[]> rec, ErrorKind kind, String message) {
        DeadLetter dl = new DeadLetter(DeadLetter.SCHEMA_VERSION, original(rec, maxValueBytes),
                new DeadLetter.Error(kind.wire(), message), workerId, Instant.now().toString());
        return send(dlqTopic, rec.key(), Json.COMPACT.toJson(dl));
    }

    /**
     * The record as a dead letter keeps it: text when it is UTF-8, else base64; cut to {@code max} bytes
     * (at a character boundary) so that a dead letter always fits the producer's limit, with the whole
     * value's size and SHA-256.
     */
    static DeadLetter.Original original(KafkaConsumerRecord<String, byte[]> rec, int max) {
        byte[] value = rec.value() == null ? new byte[0] : rec.value();
        boolean truncated = value.length > max;
        byte[] kept = truncated ? Arrays.copyOf(value, max) : value;
        String text = utf8(kept);
        for (int cut = 1; text == null && truncated && cut <= 3; cut++) { // a character split at the cut
            text = utf8(Arrays.copyOf(value, max - cut));
        }
        if (text == null) {
            kept = truncated ? Arrays.copyOf(value, max * 3 / 4) : value; // base64 grows by 4/3
        }
        return new DeadLetter.Original(rec.topic(), rec.partition(), rec.offset(), rec.key(),
                text != null ? text : Base64.getEncoder().encodeToString(kept), text != null ? "utf-8" : "base64",
                (long) value.length, Hashing.sha256(value), truncated);
    }

    private Future<Void> send(String topic, String key, String json) {
        return producer.send(KafkaProducerRecord.create(topic, key, json)).mapEmpty();
    }

    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The underlying Kafka producer, for its metrics ({@link KafkaClientMeters}). */
    org.apache.kafka.clients.producer.Producer<String, String> client() {
        return producer.unwrap();
    }

    /**
     * Closes within {@link #CLOSE_TIMEOUT_MS}: Kafka's close() without a timeout waits as long as records
     * are pending, which with the broker gone is the delivery timeout (2 min) or longer. Bounding it loses
     * nothing: the consumer closes first, and a record is committed only after its outcome was
     * acknowledged, so an outcome still pending here belongs to a record that will be redelivered.
     */
    Future<Void> close() {
        return producer.close(CLOSE_TIMEOUT_MS);
    }

    static final long CLOSE_TIMEOUT_MS = 5000;
}
