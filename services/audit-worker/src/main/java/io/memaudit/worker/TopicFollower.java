package io.memaudit.worker;

import io.memaudit.common.events.DeadLetter;
import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.util.Json;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Reads one of the worker's output topics into memory: everything up to its end at start-up (so a
 * restarted worker knows what was already published), then keeps following it on its own daemon
 * thread (so results of other workers in the group are known too). Uses no consumer group and commits
 * nothing. The scores topic feeds the {@link ScoreLedger}; the dead-letter topic the
 * {@link DeadLetterLedger}.
 */
final class TopicFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    private final KafkaConsumer<String, String> consumer;
    private final Predicate<String> ingest;
    private final String topic;
    private final CompletableFuture<Integer> caughtUp = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** Follows the scores topic into {@code ledger}. */
    static TopicFollower scores(Map<String, String> clientProps, String topic, ScoreLedger ledger, String workerId) {
        return new TopicFollower(clientProps, topic, workerId + "-ledger", value -> {
            ScoreEvent e = Json.COMPACT.fromJson(value, ScoreEvent.class);
            return e != null && e.runId() != null && ledger.record(e);
        });
    }

    /** Follows the dead-letter topic into {@code ledger}. */
    static TopicFollower deadLetters(Map<String, String> clientProps, String topic, DeadLetterLedger ledger, String workerId) {
        return new TopicFollower(clientProps, topic, workerId + "-dlq-ledger", value -> {
            DeadLetter d = Json.COMPACT.fromJson(value, DeadLetter.class);
            return d != null && d.original() != null && ledger.record(d.original());
        });
    }

    /** @param ingest reads one record value; true when it was new */
    private TopicFollower(Map<String, String> clientProps, String topic, String clientId, Predicate<String> ingest) {
        Map<String, Object> props = new HashMap<>(clientProps);
        props.put("enable.auto.commit", "false");
        props.put("client.id", clientId);
        props.remove("group.id");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        this.ingest = ingest;
        this.topic = topic;
        this.thread = new Thread(this::run, "memaudit-follow-" + topic);
        this.thread.setDaemon(true);
    }

    /** Starts reading; the future completes with the number of records read once the topic's end (at start) is reached. */
    CompletableFuture<Integer> start() {
        thread.start();
        return caughtUp;
    }

    private void run() {
        try {
            List<TopicPartition> parts = partitions(Duration.ofSeconds(30));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            int read = 0;
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    read += ingest(r) ? 1 : 0;
                }
                if (!caughtUp.isDone() && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.complete(read);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            caughtUp.completeExceptionally(e);
        } catch (RuntimeException e) {
            LOG.error("reading {} failed: {}", topic, e.toString());
            caughtUp.completeExceptionally(e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * The topic's partitions. Just after the worker created the topic, the broker this client asks may
     * not know its partitions yet and answers with none; assigning none would make every poll fail
     * ("not subscribed to any topics or assigned any partitions"), so ask again until it knows them.
     */
    private List<TopicPartition> partitions(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (!parts.isEmpty()) {
                return parts;
            }
            if (!running || System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has no partitions after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    private boolean ingest(ConsumerRecord<String, String> r) {
        try {
            return ingest.test(r.value());
        } catch (RuntimeException ex) {
            LOG.debug("skipping unreadable record {}@{} on {}", r.partition(), r.offset(), topic);
            return false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
