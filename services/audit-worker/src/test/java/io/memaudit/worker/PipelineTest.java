package io.memaudit.worker;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.memaudit.common.events.AlertEvent;
import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.CheckpointEvents;
import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.TestCheckpoints;
import io.memaudit.common.util.Json;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit worker against a real in-process Kafka broker: checkpoints → scores, restarts, groups. The
 * checkpoints are randomly initialised networks (common's TestCheckpoints); the reference trainer
 * publishing live is tested end to end in the cli module, which assembles both.
 */
@Tag("broker")
class PipelineTest {
    static final String PROBES = "mnist-gray-28";

    @TempDir
    static Path root;
    static PipelineHarness h;
    static List<Path> checkpoints;

    @BeforeAll
    static void setUp() throws Exception {
        h = new PipelineHarness(root);
        checkpoints = writeCheckpoints(root.resolve("run-a"), 3);
    }

    @AfterAll
    static void tearDown() throws Exception {
        h.close();
    }

    /** {@code n} distinct MLP checkpoints (ckpt-0001 …), each from its own seed. */
    static List<Path> writeCheckpoints(Path out, int n) throws Exception {
        List<Path> written = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Path dir = out.resolve(String.format("ckpt-%04d", i));
            TestCheckpoints.writeMlp(dir, i);
            written.add(dir);
        }
        return written;
    }

    static Map<String, String> topics(String prefix) {
        return Map.of("memaudit.topic.checkpoints", prefix + ".checkpoints", "memaudit.topic.scores", prefix + ".scores",
                "memaudit.topic.alerts", prefix + ".alerts", "memaudit.topic.dlq", prefix + ".dlq");
    }

    static String event(Path ckpt, String runId, long step) {
        return event(ckpt, runId, step, 100);
    }

    static String event(Path ckpt, String runId, long step, int probes) {
        CheckpointMetadata m = CheckpointStore.readMetadata(ckpt);
        CheckpointEvent e = CheckpointEvents.fromCheckpoint(ckpt, m, List.of("glyph:A"), PROBES, probes);
        return Json.COMPACT.toJson(new CheckpointEvent(e.schemaVersion(), runId, step, e.epoch(), e.createdAt(), e.model(),
                e.audit(), e.trainingMetrics()));
    }

    static List<ScoreEvent> scores(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> Json.COMPACT.fromJson(r.value(), ScoreEvent.class)).toList();
    }

    @Test
    void checkpointsOfARunYieldOneScoreEachInStepOrderAndCommitTheirOffsets() throws Exception {
        WorkerConfig cfg = h.config("g-live", "w-live", topics("live"));
        h.start(cfg, WorkerListener.NONE);
        for (int i = 0; i < checkpoints.size(); i++) {
            h.publish("live.checkpoints", "live", event(checkpoints.get(i), "live", 100L * (i + 1)));
        }
        List<ScoreEvent> got = scores(h.readSettled("live.scores", checkpoints.size(), Duration.ofSeconds(90)));
        assertEquals(checkpoints.size(), got.size(), "exactly one score per checkpoint: " + got);
        List<Long> steps = got.stream().map(ScoreEvent::step).toList();
        assertEquals(List.of(100L, 200L, 300L), steps, "scored in step order");
        for (ScoreEvent s : got) {
            assertFalse(s.duplicate());
            assertEquals("glyph:A", s.featureId());
            assertEquals(io.memaudit.common.feature.ControlFeatures.K, s.controls());
            assertEquals(s.evidenceRank() / (s.controls() + 1.0), s.evidenceP(), 1e-12);
            assertEquals(100, s.probes());
            assertEquals(100, s.controlProbes(), "N below one sequential block: every control sees every probe");
            assertEquals("w-live", s.workerId());
        }
        h.awaitCommitted("g-live", "live.checkpoints", 3, Duration.ofSeconds(30));
    }

    /**
     * The verdict is the run's: a checkpoint is memorised only when the previous one was significant
     * too, and a worker that takes over the run knows the previous one from the scores topic. With
     * alpha 0.999 every rank but the last counts, so the rule, not the model, decides here.
     */
    @Test
    void theVerdictIsConfirmedByThePreviousCheckpointAlsoAcrossATakeover() throws Exception {
        Map<String, String> loose = new HashMap<>(topics("confirm"));
        loose.put("memaudit.verdict.alpha", "0.999");
        AtomicInteger scored = new AtomicInteger();
        AuditWorker first = h.start(h.config("g-confirm", "w-first", loose), new WorkerListener() {
            @Override
            public void scored(ScoreEvent s) {
                scored.incrementAndGet();
            }
        });
        h.publish("confirm.checkpoints", "confirm", event(checkpoints.get(0), "confirm", 10));
        h.awaitTrue(() -> scored.get() == 1, Duration.ofSeconds(60));
        h.closeWorker(first);
        h.start(h.config("g-confirm", "w-second", loose), WorkerListener.NONE);
        h.publish("confirm.checkpoints", "confirm", event(checkpoints.get(1), "confirm", 20));
        List<ScoreEvent> got = scores(h.readSettled("confirm.scores", 2, Duration.ofSeconds(90)));
        Map<Long, ScoreEvent> byStep = new HashMap<>();
        got.forEach(s -> byStep.put(s.step(), s));
        assertTrue(byStep.get(10L).evidenceRank() < 200 && byStep.get(20L).evidenceRank() < 200, got.toString());
        assertEquals("inconclusive", byStep.get(10L).verdict(), "a first checkpoint is never confirmed: " + got);
        assertEquals("memorised", byStep.get(20L).verdict(), "confirmed by step 10, scored by the other worker: " + got);
        assertEquals("w-second", byStep.get(20L).workerId());
        List<AlertEvent> alerts = h.readSettled("confirm.alerts", 1, Duration.ofSeconds(30)).stream()
                .map(r -> Json.COMPACT.fromJson(r.value(), AlertEvent.class)).filter(a -> a.kind().equals("memorised")).toList();
        assertEquals(1, alerts.size(), "one memorised alert: " + alerts);
        assertEquals(20L, alerts.get(0).step());
    }

    @Test
    void workerStoppedMidRunWithLostCommitsLeavesNothingMissingAndMarksDuplicates() throws Exception {
        AtomicInteger scoredByA = new AtomicInteger();
        WorkerConfig a = h.config("g-crash", "w-a", topics("crash"));
        AuditWorker workerA = h.start(a, new WorkerListener() {
            @Override
            public void scored(ScoreEvent s) {
                scoredByA.incrementAndGet();
            }
        });
        h.publish("crash.checkpoints", "crash", event(checkpoints.get(0), "crash", 10));
        h.awaitTrue(() -> scoredByA.get() == 1, Duration.ofSeconds(60));
        h.closeWorker(workerA);
        h.resetGroup("g-crash", "crash.checkpoints");
        h.publish("crash.checkpoints", "crash", event(checkpoints.get(1), "crash", 20));
        h.publish("crash.checkpoints", "crash", event(checkpoints.get(2), "crash", 30));
        h.start(h.config("g-crash", "w-b", topics("crash")), WorkerListener.NONE);
        List<ScoreEvent> got = scores(h.readSettled("crash.scores", 4, Duration.ofSeconds(90)));
        assertEquals(4, got.size(), "3 checkpoints + 1 re-delivered: " + got);
        Map<Long, ScoreEvent> firsts = new HashMap<>();
        for (ScoreEvent s : got) {
            if (!s.duplicate()) {
                assertTrue(firsts.put(s.step(), s) == null, "a second fresh score for step " + s.step());
            }
        }
        assertEquals(Set.of(10L, 20L, 30L), firsts.keySet(), "none missing");
        ScoreEvent dup = got.stream().filter(ScoreEvent::duplicate).findFirst().orElseThrow();
        assertEquals(10L, dup.step());
        assertEquals(firsts.get(10L).mKl(), dup.mKl(), 0.0, "the duplicate repeats the first result");
        assertEquals("w-a", firsts.get(10L).workerId());
    }

    @Test
    void twoWorkersInOneGroupSharePartitions() throws Exception {
        AtomicInteger partsA = new AtomicInteger();
        AtomicInteger partsB = new AtomicInteger();
        // max-in-flight 2: each worker pauses its consumer while 2 records are unfinished and resumes at 1
        Map<String, String> small = new HashMap<>(topics("share"));
        small.put("memaudit.max-in-flight", "2");
        h.start(h.config("g-share", "w-1", small), assigned(partsA));
        h.start(h.config("g-share", "w-2", small), assigned(partsB));
        h.awaitTrue(() -> partsA.get() > 0 && partsB.get() > 0 && partsA.get() + partsB.get() == 3, Duration.ofSeconds(60));
        for (int r = 0; r < 9; r++) {
            h.publish("share.checkpoints", "run-" + r, event(checkpoints.get(0), "run-" + r, 1));
        }
        List<ScoreEvent> got = scores(h.readSettled("share.scores", 9, Duration.ofSeconds(120)));
        assertEquals(9, got.size());
        assertEquals(9, got.stream().map(ScoreEvent::runId).distinct().count(), "every run scored once");
        assertEquals(Set.of("w-1", "w-2"), got.stream().map(ScoreEvent::workerId).collect(java.util.stream.Collectors.toSet()));
    }

    /**
     * Records keep finishing while the consumer closes (shutdown deadline 0, a stream of quick audits in
     * flight). Their completion must not touch the consumer: Vert.x's KafkaReadStream re-opens itself on
     * any call after close, with a new consumer thread that polls the closing consumer (the
     * ConcurrentModificationException seen in logs at rebalances and teardowns) and is never shut down.
     */
    @Test
    void recordsFinishingWhileTheConsumerClosesNeverTouchItAgain() throws Exception {
        Set<String> before = consumerThreads();
        Map<String, String> cfg = new HashMap<>(topics("late"));
        cfg.put("memaudit.shutdown.timeout-ms", "0");
        cfg.put("memaudit.max-in-flight", "200");
        AtomicInteger scored = new AtomicInteger();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        AuditWorker w = h.start(h.config("g-late", "w-late", cfg), new WorkerListener() {
            @Override
            public void scored(ScoreEvent s) {
                scored.incrementAndGet();
            }

            @Override
            public void consumerError(Throwable error, boolean commit) {
                errors.add(error.toString());
            }
        });
        for (int r = 0; r < 200; r++) {
            h.publish("late.checkpoints", "late", event(checkpoints.get(r % 3), "late-" + r, 1, 20));
        }
        h.awaitTrue(() -> scored.get() >= 20, Duration.ofSeconds(60));
        w.stop().toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
        Thread.sleep(1000);
        Set<String> left = consumerThreads();
        left.removeAll(before);
        h.closeVertx(w.vertx());
        assertEquals(List.of(), errors, "consumer errors (" + scored.get() + " scored before the stop)");
        assertEquals(Set.of(), left, "consumer threads alive after the worker stopped");
        // the 180 audits still queued when the consumer closed are answered unscored, not run for nobody (a
        // stop used to wait for all of them: about 200 × 0.5 s)
        assertTrue(scored.get() < 100, scored.get() + " scored: queued audits ran after the consumer had closed");
    }

    private static Set<String> consumerThreads() {
        Set<String> names = new HashSet<>();
        Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("vert.x-kafka-consumer-thread-")).forEach(names::add);
        return names;
    }

    @Test
    void withoutAutoCreateAMissingTopicFailsTheStartNamingIt() {
        Map<String, String> cfg = new HashMap<>(topics("absent"));
        cfg.put("memaudit.topics.auto-create", "false");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> h.start(h.config("g-absent", "w-absent", cfg), WorkerListener.NONE));
        String message = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        assertTrue(message.contains("absent.checkpoints") && message.contains("auto-create"), message);
    }

    private static WorkerListener assigned(AtomicInteger parts) {
        return new WorkerListener() {
            @Override
            public void partitionsAssigned(int partitions) {
                parts.set(partitions);
            }
        };
    }

    static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }
}
