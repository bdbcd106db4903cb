package io.memaudit.common.scoring;

import ai.djl.Device;
import io.memaudit.common.data.SyntheticImages;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.feature.RandomPatches;
import io.memaudit.common.model.Checkpoint;
import io.memaudit.common.events.AuditException;
import io.memaudit.common.model.InputLayout;
import io.memaudit.common.model.ModelSpec;
import io.memaudit.common.model.OutputKind;
import io.memaudit.common.model.format.OnnxFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scorer on ONNX checkpoints: format-blind scoring, layouts and output kinds, eviction after a bad file. */
class OnnxScoringTest {
    /** Generated probe images of whatever shape the model asks for. */
    private static final ProbeProvider PROBES = (name, n, seed, shape) ->
            SyntheticImages.generate(name, n, shape[0], shape[1], shape[2], 10, seed);

    @TempDir
    Path tmp;

    private static Checkpoint ckpt(String file, ModelSpec spec, long step) {
        return new Checkpoint("onnx-run", (int) step, step, OnnxFixtures.file(file), null, spec, null);
    }

    private static AuditRequest request() {
        return new AuditRequest("glyph:A", "synthetic", 64, 1, RandomPatches.DEFAULT_SEED, null, 3);
    }

    @Test
    void layoutsAndOutputKindsOfTheSameNetworkGiveTheSameScores() {
        try (CheckpointScorer scorer = new CheckpointScorer(Device.cpu(), PROBES)) {
            AuditResult nchw = scorer.score(ckpt("tiny-cnn.onnx", OnnxFixtures.spec(), 1), request());
            AuditResult nhwc = scorer.score(ckpt("tiny-cnn-nhwc.onnx", OnnxFixtures.spec(InputLayout.NHWC, OutputKind.LOGITS), 1),
                    request());
            AuditResult probs = scorer.score(ckpt("tiny-cnn-softmax.onnx",
                    OnnxFixtures.spec(InputLayout.NCHW, OutputKind.PROBABILITIES), 1), request());
            assertEquals(nchw.scores().mKl(), nhwc.scores().mKl(), 1e-6);
            assertEquals(nchw.scores().mKl(), probs.scores().mKl(), 1e-5);
            assertEquals(nchw.scores().mLabel(), probs.scores().mLabel(), 1e-5);
            assertEquals(nchw.kl().rank(), nhwc.kl().rank());
            assertEquals(io.memaudit.common.feature.ControlFeatures.K, nchw.controlIds().size());
            assertTrue(scorer.engineDescription().startsWith("ONNX Runtime"), scorer.engineDescription());
            assertEquals(1, scorer.probeBuilds(), "one probe build serves every model of the same input");
        }
    }

    @Test
    void aBadCheckpointDoesNotSpoilTheNextGoodOne() throws Exception {
        Path bad = Files.write(tmp.resolve("model.onnx"), new byte[] {9, 9, 9});
        try (CheckpointScorer scorer = new CheckpointScorer(Device.cpu(), PROBES)) {
            AuditResult first = scorer.score(ckpt("tiny-cnn.onnx", OnnxFixtures.spec(), 1), request());
            Checkpoint broken = new Checkpoint("onnx-run", 2, 2, bad, null, OnnxFixtures.spec(), null);
            AuditException e = assertThrows(AuditException.class, () -> scorer.score(broken, request()));
            assertEquals(ErrorKind.CHECKPOINT_CORRUPT, e.kind());
            AuditResult again = scorer.score(ckpt("tiny-cnn.onnx", OnnxFixtures.spec(), 3), request());
            assertEquals(first.scores().mKl(), again.scores().mKl(), 1e-9);
        }
    }

    @Test
    void aModelDeclaredToOutputProbabilitiesThatOutputsLogitsIsRefused() {
        try (CheckpointScorer scorer = new CheckpointScorer(Device.cpu(), PROBES)) {
            AuditException e = assertThrows(AuditException.class, () -> scorer.score(
                    ckpt("tiny-cnn.onnx", OnnxFixtures.spec(InputLayout.NCHW, OutputKind.PROBABILITIES), 1), request()));
            assertEquals(ErrorKind.SHAPE_MISMATCH, e.kind());
            assertTrue(e.getMessage().contains("logits"), e.getMessage());
        }
    }
}
