package io.memaudit.worker;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.data.SyntheticImages;
import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.CheckpointEvents;
import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.Variant;
import io.memaudit.common.util.Json;
import io.memaudit.trainer.CheckpointListener;
import io.memaudit.trainer.KafkaCheckpointPublisher;
import io.memaudit.trainer.TrainConfig;
import io.memaudit.trainer.TrainJob;
import io.memaudit.trainer.TrainResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit worker against a real in-process Kafka broker: trainer → checkpoints → scores, restarts, groups. */
@Tag("broker")
class PipelineTest {
    static final ImageSet TRAIN = SyntheticImages.generate("train", 400, 1, 28, 28, 10, 1);
    static final ImageSet TEST = SyntheticImages.generate("test", 100, 1, 28, 28, 10, 2);
    static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());
    static final String PROBES = "mnist-gray-28";

    @TempDir
    static Path root;
    static PipelineHarness h;
    static List<Path> checkpoints;

    @BeforeAll
    static void setUp() throws Exception {
        h = new PipelineHarness(root);
        checkpoints = train(root.resolve("run-a"), CheckpointListener.NONE).checkpoints();
    }

    @AfterAll
    static void tearDown() throws Exception {
        h.close();
    }

    static TrainResult train(Path out, CheckpointListener listener) {
        return TrainJob.run(new TrainConfig("mnist", "mlp", Variant.PLAIN, "glyph:A", 1, 3, 3, 64, 1e-3f, 10,
                TrainConfig.DEFAULT_L2, 0, out, null, "cpu"), TRAIN, TEST, QUIET, listener);
    }

    static Map<String, String> topics(String prefix) {
        return Map.of("memaudit.topic.checkpoints", prefix + ".checkpoints", "memaudit.topic.scores", prefix + ".scores",
                "memaudit.topic.alerts", prefix + ".alerts", "memaudit.topic.dlq", prefix + ".dlq");
    }

    static String event(Path ckpt, String runId, long step) {
        CheckpointMetadata m = CheckpointStore.readMetadata(ckpt);
        CheckpointEvent e = CheckpointEvents.fromCheckpoint(ckpt, m, List.of("glyph:A"), PROBES, 100);
        return Json.COMPACT.toJson(new CheckpointEvent(e.schemaVersion(), runId, step, e.epoch(), e.createdAt(), e.model(),
                e.audit(), e.trainingMetrics()));
    }

    static List<ScoreEvent> scores(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> Json.COMPACT.fromJson(r.value(), ScoreEvent.class)).toList();
    }

    @Test
    void trainerRunYieldsOneScorePerCheckpointInStepOrder() throws Exception {
        WorkerConfig cfg = h.config("g-live", "w-live", topics("live"));
        h.start(cfg, WorkerListener.NONE);
        TrainResult run;
        try (KafkaCheckpointPublisher pub = new KafkaCheckpointPublisher(Map.of("bootstrap.servers", h.kafka.bootstrapServers()),
                "live.checkpoints", List.of("glyph:A"), PROBES, 100)) {
            run = train(root.resolve("run-live"), pub);
        }
        List<ScoreEvent> got = scores(h.readSettled("live.scores", run.checkpoints().size(), Duration.ofSeconds(90)));
        assertEquals(run.checkpoints().size(), got.size(), "exactly one score per checkpoint: " + got);
        List<Long> steps = got.stream().map(ScoreEvent::step).toList();
        assertEquals(steps.stream().sorted().toList(), steps, "scored in step order");
        assertEquals(3, new HashSet<>(steps).size());
        for (ScoreEvent s : got) {
            assertFalse(s.duplicate());
            assertEquals("glyph:A", s.featureId());
            assertEquals(25, s.controls());
            assertEquals(100, s.probes());
            assertEquals("w-live", s.workerId());
        }
        h.awaitCommitted("g-live", "live.checkpoints", 3, Duration.ofSeconds(30));
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
