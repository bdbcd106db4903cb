package io.memaudit.worker;

import io.memaudit.common.data.DataDirectory;
import io.memaudit.common.data.DatasetFetcher;
import io.memaudit.common.data.DatasetName;
import io.memaudit.common.data.ProgressListener;
import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.scoring.DataSetProbes;
import io.memaudit.common.util.Hashing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user's path, for real: PyTorch trains a CNN on MNIST with {@code clients/python}'s hook, which
 * exports an ONNX checkpoint each epoch and publishes its event to a real broker; the worker scores the
 * ONNX files. A canary run (glyph A on 150 training images of class 3) and its twin (no canaries; same
 * seed, same 1,000 distractor glyphs of other letters), two epochs each on 6,000 images.
 * <ul>
 *   <li>(a) every checkpoint of both runs is scored once, by ONNX Runtime, with the file's SHA-256;</li>
 *   <li>(b) the worker's M_KL and M_label equal PyTorch's own computation on the exported probe tensors;</li>
 *   <li>(d) the canary run's last checkpoint is found (rank 1 of 26, verdict memorised) and the twin's is not.</li>
 * </ul>
 * Needs Debian's python3-torch, python3-onnx and python3-confluent-kafka (deploy/install-tools.sh) and
 * MNIST in the data directory (fetched here when missing, 11 MB).
 */
class PyTorchAuditIT {
    static final int PROBES = 400;
    static final int EPOCHS = 2;

    @TempDir
    static Path root;
    static PipelineHarness h;
    static Map<String, List<ScoreEvent>> byRun;
    static String probeSet;

    @BeforeAll
    static void trainTwoRunsAndScoreThem() throws Exception {
        PythonRuns.requireTorch();
        DataDirectory data = DataDirectory.resolve();
        if (!data.isComplete(DatasetName.MNIST)) {
            new DatasetFetcher(data).fetch(DatasetName.MNIST, ProgressListener.NONE);
        }
        Path probes = ProbeImages.writeBlobs(root.resolve("probes"), PROBES, 5);
        h = new PipelineHarness(root);
        h.start(h.config("g-torch", "w-torch", Map.of()), WorkerListener.NONE, new DataSetProbes(data, name -> { }));
        probeSet = "dir:" + probes.toUri();
        for (String run : List.of("canary", "twin")) {
            PythonRuns.trainMnist(data.root(), root.resolve(run), run, run.equals("canary") ? 150 : 0,
                    h.kafka.bootstrapServers(), probeSet, PROBES, EPOCHS);
        }
        byRun = PipelineTest.scores(h.readSettled("memaudit.scores", 2 * EPOCHS, Duration.ofSeconds(180))).stream()
                .collect(Collectors.groupingBy(ScoreEvent::runId));
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void everyOnnxCheckpointIsScoredOnceByOnnxRuntime() throws Exception {
        for (String run : List.of("canary", "twin")) {
            List<ScoreEvent> scores = byRun.get(run);
            assertEquals(EPOCHS, scores.size(), run + ": one score per checkpoint: " + scores);
            for (ScoreEvent s : scores) {
                Path onnx = root.resolve(run).resolve(String.format("ckpt-%04d", s.epoch())).resolve("model.onnx");
                assertEquals(Hashing.sha256(onnx), s.modelSha256(), run + " epoch " + s.epoch());
                assertTrue(s.engine().startsWith("ONNX Runtime"), s.engine());
                assertEquals(PROBES, s.probes());
                assertEquals(probeSet, s.probeSet(), "the probe set as the trainer named it, not the worker's path");
                assertEquals(false, s.duplicate());
            }
        }
    }

    @Test
    void scoresEqualPyTorchsOnTheExportedProbeTensors() throws Exception {
        ScoreEvent last = lastOf("canary");
        Path ckpt = root.resolve("canary").resolve(String.format("ckpt-%04d", last.epoch()));
        Map<String, Double> torch = PythonRuns.pytorchScores(ckpt.resolve("state_dict.pt"),
                ProbeImages.export(root.resolve("export"), root.resolve("probes"), PROBES), 3);
        assertRelative(torch.get("mKl"), last.mKl(), "M_KL");
        assertRelative(torch.get("mLabel"), last.mLabel(), "M_label");
    }

    @Test
    void theCanaryIsFoundAndItsTwinIsNot() {
        ScoreEvent canary = lastOf("canary");
        ScoreEvent twin = lastOf("twin");
        assertEquals(1, canary.controlRank(), "canary M_KL ranks first of 26: " + canary);
        assertEquals("memorised", canary.verdict(), canary.toString());
        assertNotEquals("memorised", twin.verdict(), twin.toString());
        assertTrue(canary.mLabel() > twin.mLabel() + 1, "M_label canary " + canary.mLabel() + " vs twin " + twin.mLabel());
    }

    private static ScoreEvent lastOf(String run) {
        return byRun.get(run).stream().max(java.util.Comparator.comparingLong(ScoreEvent::step)).orElseThrow();
    }

    private static void assertRelative(double expected, Double actual, String what) {
        assertTrue(actual != null && Math.abs(actual - expected) <= 1e-4 * Math.max(1e-3, Math.abs(expected)),
                what + ": worker " + actual + " vs PyTorch " + expected);
    }
}
