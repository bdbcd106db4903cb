package io.memaudit.worker;

import io.memaudit.common.events.AlertEvent;
import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.events.ScoreEvent;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.common.errors.WakeupException;
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
    private final StalledPartitions stalls;
    private final DeadLetterLedger deadLetters;
    private final Runnable housekeeping;
    private KafkaConsumer<String, byte[]> consumer;
    /** The consumer's own metrics (kafka_consumer_*), closed just before the consumer. */
    private KafkaClientMetrics clientMeters;
    private int inFlight;
    /** Offset commits issued and not yet answered: close waits for them, since its wakeup() would abort them. */
    private int pendingCommits;
    /** How long a stop waits, after the in-flight deadline, for commits already issued. */
    private static final long COMMIT_GRACE_MS = 5000;
    private boolean paused;
    private boolean stopping;
    /** A lag report's calls are under way (see {@link #reportLag()}). */
    private boolean lagReporting;
    /**
     * Set when the consumer's close is issued. Vert.x's KafkaReadStream re-opens itself on any call made
     * after close (a new consumer thread that polls the consumer while the old one closes it: a
     * ConcurrentModificationException, and a thread that is never shut down), so nothing may touch the
     * consumer after this; callbacks of calls issued earlier (lag report, commits) check it.
     */
    private boolean closed;

    CheckpointConsumerVerticle(WorkerConfig config, EventValidator validator, ScorePublisher publisher,
                               TrendDetector trend, int devices, WorkerListener listener, WorkerMetrics metrics,
                               StalledPartitions stalls, DeadLetterLedger deadLetters, Runnable housekeeping) {
        this.housekeeping = housekeeping;
        this.stalls = stalls;
        this.deadLetters = deadLetters;
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
        // A killed worker's partitions move when the coordinator misses its heartbeats for the session
        // timeout: 10 s instead of the client's 45 s default (heartbeats come from the client's own
        // thread, so long scoring does not count; max.poll.interval.ms bounds that). Override with
        // kafka.session.timeout.ms; the broker's group.min.session.timeout.ms (6 s) is the floor.
        props.putIfAbsent("session.timeout.ms", "10000");
        props.putIfAbsent("heartbeat.interval.ms", "3000");
        consumer = KafkaConsumer.create(vertx, props, new StringDeserializer(), new ByteArrayDeserializer());
        clientMeters = KafkaClientMeters.bind(metrics.registry(), consumer.unwrap());
        consumer.exceptionHandler(e -> {
            if (e instanceof WakeupException && stopping) {
                LOG.debug("checkpoint consumer woken up to close"); // how close interrupts a poll
            } else {
                LOG.error("checkpoint consumer: {}", e.toString());
                listener.consumerError(e, false);
            }
        });
        consumer.partitionsRevokedHandler(parts -> parts.forEach(tp -> {
            tracker.revoke(id(tp.getTopic(), tp.getPartition()));
            stalls.clear(tp.getTopic(), tp.getPartition());
        }));
        consumer.partitionsAssignedHandler(parts -> {
            LOG.info("assigned {} partition(s) of {}: {}", parts.size(), config.topicCheckpoints(), parts);
            listener.partitionsAssigned(parts.size());
        });
        consumer.handler(this::onRecord);
        metrics.inFlight(() -> inFlight);
        vertx.setPeriodic(1000, 10_000, id -> reportLag());
        vertx.setPeriodic(10_000, id -> housekeeping.run()); // on this context, where scores are recorded
        return consumer.subscribe(config.topicCheckpoints());
    }

    /**
     * Per assigned partition: the lag behind the consumer's position, and behind the committed offset
     * (which a stalled partition, or records scored but not yet committed, leave behind). One report at
     * a time: every call runs on the consumer's one thread and, with the broker gone, blocks it for
     * default.api.timeout.ms (60 s); reports issued every 10 s would queue up without end behind each
     * other, and the consumer's close behind all of them (a stop that hung for minutes).
     */
    private void reportLag() {
        if (stopping || lagReporting) {
            return;
        }
        lagReporting = true;
        // a partition revoked between these calls makes them fail: expected during a rebalance, so DEBUG
        consumer.assignment().compose(parts -> parts.isEmpty() || stopping ? Future.succeededFuture(Map.<TopicPartition, Long>of())
                : consumer.endOffsets(parts))
                .onFailure(e -> LOG.debug("lag report skipped: {}", e.toString()))
                .compose(this::reportLag)
                .onComplete(x -> lagReporting = false);
    }

    private Future<?> reportLag(Map<TopicPartition, Long> ends) {
        List<Future<?>> calls = new ArrayList<>();
        ends.forEach((tp, end) -> {
            if (stopping) {
                return;
            }
            calls.add(consumer.position(tp).onSuccess(pos -> metrics.lag(tp.getTopic(), tp.getPartition(), Math.max(0, end - pos)))
                    .onFailure(e -> LOG.debug("lag of {}: {}", tp, e.toString())));
            calls.add(consumer.committed(tp).onSuccess(c -> metrics.committedLag(tp.getTopic(), tp.getPartition(),
                    Math.max(0, end - (c == null ? 0 : c.getOffset()))))
                    .onFailure(e -> LOG.debug("committed lag of {}: {}", tp, e.toString())));
        });
        return Future.join(calls);
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
        // the record's key is the run id (docs/EVENTS.md): in the MDC of the lines logged while it is handled
        try (CheckpointMdc ignored = CheckpointMdc.of(rec.key(), null)) {
            handle(rec).onComplete(ar -> finished(rec, ar));
        }
    }

    private Future<Void> handle(KafkaConsumerRecord<String, byte[]> rec) {
        if (rec.value() == null) {
            return deadLetter(rec, ErrorKind.INVALID_JSON, "record has no value");
        }
        if (rec.value().length > config.eventMaxBytes()) {
            return deadLetter(rec, ErrorKind.SCHEMA_VIOLATION, "the record value is " + rec.value().length
                    + " bytes, over memaudit.checkpoints.max-event-bytes = " + config.eventMaxBytes() + "; not parsed");
        }
        ValidationResult<CheckpointEvent> v = validator.validateCheckpoint(rec.value());
        if (!v.isValid()) {
            return deadLetter(rec, v.errorKind(), v.message());
        }
        CheckpointEvent event = v.value();
        int device = Math.floorMod(event.runId().hashCode(), devices);
        DeliveryOptions opts = new DeliveryOptions().setSendTimeout(SCORING_TIMEOUT_MS);
        return vertx.eventBus().<ScoringReply>request(ScoringVerticle.address(device), event, opts)
                .compose(reply -> {
                    try (CheckpointMdc ignored = CheckpointMdc.of(event.runId(), event.step())) {
                        return onScored(rec, reply.body());
                    }
                });
    }

    private Future<Void> onScored(KafkaConsumerRecord<String, byte[]> rec, ScoringReply reply) {
        if (reply.error() != null) {
            return deadLetter(rec, reply.error(), reply.message());
        }
        List<ScoreEvent> scores = reply.scores();
        List<AlertEvent> alerts = new ArrayList<>();
        scores.forEach(s -> alerts.addAll(trend.onScore(s)));
        return retrying("results of " + where(rec), () -> publisher.scores(scores).compose(x -> publisher.alerts(alerts)))
                .onSuccess(x -> {
                    scores.forEach(listener::scored);
                    alerts.forEach(listener::alerted);
                })
                .recover(e -> deadLetter(rec, ErrorKind.PUBLISH_FAILED, "scored, but the results could not be published after "
                        + (config.publishRetries() + 1) + " tries: " + e));
    }

    private Future<Void> deadLetter(KafkaConsumerRecord<String, byte[]> rec, ErrorKind kind, String message) {
        if (deadLetters.contains(rec.topic(), rec.partition(), rec.offset())) {
            // redelivered after a worker died between the dead letter and the commit: the letter is there
            LOG.info("{} (run {}) is already on the dead-letter topic (redelivery): committing it", where(rec), rec.key());
            return Future.succeededFuture();
        }
        LOG.warn("dead-lettered {} (run {}): {}: {}", where(rec), rec.key(), kind.wire(), message);
        return retrying("the dead letter of " + where(rec), () -> publisher.deadLetter(rec, kind, message))
                .onSuccess(x -> {
                    deadLetters.record(rec.topic(), rec.partition(), rec.offset());
                    listener.deadLettered(kind);
                });
    }

    private Future<Void> retrying(String what, java.util.function.Supplier<Future<Void>> publish) {
        return PublishRetry.withBackoff(vertx, publish, config.publishRetries(), config.publishBackoff(), what);
    }

    private static String where(KafkaConsumerRecord<String, byte[]> rec) {
        return rec.topic() + "-" + rec.partition() + "@" + rec.offset();
    }

    private void finished(KafkaConsumerRecord<String, byte[]> rec, AsyncResult<Void> ar) {
        try (CheckpointMdc ignored = CheckpointMdc.of(rec.key(), null)) {
            settle(rec, ar);
        }
    }

    /** Commits a finished record (or stalls its partition), and resumes the consumer when in-flight work has drained. */
    private void settle(KafkaConsumerRecord<String, byte[]> rec, AsyncResult<Void> ar) {
        inFlight--;
        if (closed && ar.failed()) {
            // not scored because the worker stopped (see ScoringVerticle): nothing to stall or commit; the
            // offset stays uncommitted and the partition's next owner scores the record
            LOG.debug("{} not finished before the consumer closed: {}", where(rec), ar.cause().toString());
            return;
        }
        if (ar.failed()) {
            stall(rec, ar.cause());
        } else {
            long next = tracker.done(id(rec.topic(), rec.partition()), rec.offset());
            if (next >= 0 && !closed) {
                pendingCommits++;
                consumer.commit(Map.of(new TopicPartition(rec.topic(), rec.partition()), new OffsetAndMetadata(next, "")))
                        .onComplete(x -> pendingCommits--)
                        .onFailure(e -> {
                            LOG.warn("offset commit failed (records will be redelivered): {}", e.toString());
                            listener.consumerError(e, true);
                        });
            }
        }
        if (paused && !stopping && inFlight <= config.resumeInFlight()) {
            consumer.resume();
            paused = false;
            stalls.all().forEach(st -> consumer.pause(new TopicPartition(st.topic(), st.partition())));
        }
    }

    /** The last resort (see {@link StalledPartitions}): neither results nor a dead letter could be published. */
    private void stall(KafkaConsumerRecord<String, byte[]> rec, Throwable cause) {
        TopicPartition tp = new TopicPartition(rec.topic(), rec.partition());
        stalls.stall(rec.topic(), rec.partition(), rec.offset(), cause.toString());
        if (!closed) {
            consumer.pause(tp);
        }
        LOG.error("partition {}-{} STOPPED at offset {}: neither the results nor a dead letter of the record could be"
                        + " published after {} tries ({}); its offset stays uncommitted, so a restart or the partition's next"
                        + " owner will process it again", rec.topic(), rec.partition(), rec.offset(), config.publishRetries() + 1,
                cause.toString());
        listener.failed();
    }

    int inFlight() {
        return inFlight;
    }

    /**
     * Graceful stop: no new records, wait (bounded) for in-flight ones, then for the commits already
     * issued (close interrupts a commit in progress with wakeup(), and the record would be redelivered
     * although it was done), close.
     */
    @Override
    public Future<?> stop() {
        stopping = true;
        consumer.pause();
        Promise<Void> drained = Promise.promise();
        long deadline = System.currentTimeMillis() + config.shutdownTimeout().toMillis();
        vertx.setPeriodic(0, 50, id -> {
            long now = System.currentTimeMillis();
            boolean recordsDone = inFlight == 0 || now > deadline;
            if (recordsDone && (pendingCommits == 0 || now > deadline + COMMIT_GRACE_MS)) {
                vertx.cancelTimer(id);
                if (inFlight > 0) {
                    LOG.warn("{} record(s) still in flight at shutdown; they will be redelivered", inFlight);
                }
                if (pendingCommits > 0) {
                    LOG.warn("{} offset commit(s) still unanswered at shutdown; their records will be redelivered", pendingCommits);
                }
                drained.complete();
            }
        });
        return drained.future().compose(x -> {
            closed = true;
            KafkaClientMeters.close(clientMeters);
            return consumer.close();
        });
    }
}
