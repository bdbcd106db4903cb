package io.memaudit.worker;

import io.memaudit.common.events.AlertEvent;
import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.util.Json;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The first stage: consumes checkpoint events, validates them, hands valid ones to the scoring verticle
 * of the run's device and invalid ones to the dead-letter topic, publishes the results, and commits a
 * record's offset only after its results (or its dead-letter record) are acknowledged by Kafka.
 * Pauses the consumer when {@code maxInFlight} records are unfinished and resumes at half. Runs on the
 * event loop and never blocks it.
 */
final class CheckpointConsumerVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointConsumerVerticle.class);
    private static final long SCORING_TIMEOUT_MS = 3_600_000L;

    private final WorkerConfig config;
    private final EventValidator validator;
    private final ScorePublisher publisher;
    private final TrendDetector trend;
    private final int devices;
    private final WorkerListener listener;
    private final WorkerMetrics metrics;
    private final OffsetTracker tracker = new OffsetTracker();
    private KafkaConsumer<String, byte[]> consumer;
    private int inFlight;
    private boolean paused;
    private boolean stopping;

    CheckpointConsumerVerticle(WorkerConfig config, EventValidator validator, ScorePublisher publisher,
                               TrendDetector trend, int devices, WorkerListener listener, WorkerMetrics metrics) {
        this.config = config;
        this.validator = validator;
        this.publisher = publisher;
        this.trend = trend;
        this.devices = devices;
        this.listener = listener;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        Map<String, String> props = new HashMap<>(config.kafkaClientProperties());
        props.put("group.id", config.groupId());
        props.put("enable.auto.commit", "false");
        props.putIfAbsent("auto.offset.reset", "earliest");
        props.putIfAbsent("client.id", config.workerId() + "-checkpoints");
        props.putIfAbsent("max.poll.records", String.valueOf(Math.max(1, config.maxInFlight())));
        consumer = KafkaConsumer.create(vertx, props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.exceptionHandler(e -> LOG.error("checkpoint consumer: {}", e.toString()));
        consumer.partitionsRevokedHandler(parts -> parts.forEach(tp -> tracker.revoke(id(tp.getTopic(), tp.getPartition()))));
        consumer.partitionsAssignedHandler(parts -> {
            LOG.info("assigned {} partition(s) of {}: {}", parts.size(), config.topicCheckpoints(), parts);
            listener.partitionsAssigned(parts.size());
        });
        consumer.handler(this::onRecord);
        metrics.inFlight(() -> inFlight);
        vertx.setPeriodic(1000, 10_000, id -> reportLag());
        return consumer.subscribe(config.topicCheckpoints());
    }

    /** Consumer lag per assigned partition: end offset minus the consumer's position. */
    private void reportLag() {
        if (stopping) {
            return;
        }
        consumer.assignment().compose(parts -> parts.isEmpty() ? Future.succeededFuture(Map.<TopicPartition, Long>of())
                : consumer.endOffsets(parts)).onSuccess(ends -> ends.forEach((tp, end) ->
                consumer.position(tp).onSuccess(pos -> metrics.lag(tp.getTopic(), tp.getPartition(), Math.max(0, end - pos)))));
    }

    private static String id(String topic, int partition) {
        return topic + "-" + partition;
    }

    private void onRecord(KafkaConsumerRecord<String, byte[]> rec) {
        metrics.received();
        tracker.received(id(rec.topic(), rec.partition()), rec.offset());
        inFlight++;
        if (inFlight >= config.maxInFlight() && !paused) {
            consumer.pause();
            paused = true;
        }
        handle(rec).onComplete(ar -> finished(rec, ar));
    }

    private Future<Void> handle(KafkaConsumerRecord<String, byte[]> rec) {
        if (rec.value() == null) {
            return deadLetter(rec, ErrorKind.INVALID_JSON, "record has no value");
        }
        ValidationResult<CheckpointEvent> v = validator.validateCheckpoint(rec.value());
        if (!v.isValid()) {
            return deadLetter(rec, v.errorKind(), v.message());
        }
        CheckpointEvent event = v.value();
        int device = Math.floorMod(event.runId().hashCode(), devices);
        DeliveryOptions opts = new DeliveryOptions().setSendTimeout(SCORING_TIMEOUT_MS);
        return vertx.eventBus().<String>request(ScoringVerticle.address(device), Json.COMPACT.toJson(event), opts)
                .compose(reply -> onScored(rec, event, new JsonObject(reply.body())));
    }

    private Future<Void> onScored(KafkaConsumerRecord<String, byte[]> rec, CheckpointEvent event, JsonObject reply) {
        JsonObject error = reply.getJsonObject("error");
        if (error != null) {
            ErrorKind kind = ErrorKind.valueOf(error.getString("kind").toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            return deadLetter(rec, kind, error.getString("message"));
        }
        List<ScoreEvent> scores = new ArrayList<>();
        reply.getJsonArray("scores").forEach(o -> scores.add(Json.COMPACT.fromJson(((JsonObject) o).encode(), ScoreEvent.class)));
        List<AlertEvent> alerts = new ArrayList<>();
        scores.forEach(s -> alerts.addAll(trend.onScore(s)));
        return publisher.scores(scores).compose(x -> publisher.alerts(alerts)).onSuccess(x -> {
            scores.forEach(listener::scored);
            alerts.forEach(listener::alerted);
        });
    }

    private Future<Void> deadLetter(KafkaConsumerRecord<String, byte[]> rec, ErrorKind kind, String message) {
        LOG.warn("dead-lettered {}-{}@{} (run {}): {}: {}", rec.topic(), rec.partition(), rec.offset(), rec.key(),
                kind.wire(), message);
        return publisher.deadLetter(rec, kind, message).onSuccess(x -> listener.deadLettered(kind));
    }

    private void finished(KafkaConsumerRecord<String, byte[]> rec, AsyncResult<Void> ar) {
        inFlight--;
        if (ar.failed()) {
            // Not acknowledged by Kafka: leave the offset uncommitted so the record is delivered again.
            LOG.error("results of {}-{}@{} were not acknowledged; it will be redelivered: {}", rec.topic(),
                    rec.partition(), rec.offset(), ar.cause().toString());
            listener.failed();
        } else {
            long next = tracker.done(id(rec.topic(), rec.partition()), rec.offset());
            if (next >= 0) {
                consumer.commit(Map.of(new TopicPartition(rec.topic(), rec.partition()), new OffsetAndMetadata(next, "")))
                        .onFailure(e -> LOG.warn("offset commit failed (records will be redelivered): {}", e.toString()));
            }
        }
        if (paused && !stopping && inFlight <= config.resumeInFlight()) {
            consumer.resume();
            paused = false;
        }
    }

    int inFlight() {
        return inFlight;
    }

    /** Graceful stop: no new records, wait (bounded) for in-flight ones, commit what is done, close. */
    @Override
    public Future<?> stop() {
        stopping = true;
        consumer.pause();
        Promise<Void> drained = Promise.promise();
        long deadline = System.currentTimeMillis() + config.shutdownTimeout().toMillis();
        vertx.setPeriodic(0, 50, id -> {
            if (inFlight == 0 || System.currentTimeMillis() > deadline) {
                vertx.cancelTimer(id);
                if (inFlight > 0) {
                    LOG.warn("{} record(s) still in flight at shutdown; they will be redelivered", inFlight);
                }
                drained.complete();
            }
        });
        return drained.future().compose(x -> consumer.close());
    }
}
