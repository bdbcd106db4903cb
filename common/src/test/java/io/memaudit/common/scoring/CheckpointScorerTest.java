package io.memaudit.common.scoring;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.data.SyntheticImages;
import io.memaudit.common.feature.ControlFeatures;
import io.memaudit.common.feature.FeatureSpec;
import io.memaudit.common.feature.RandomPatches;
import io.memaudit.common.feature.UniqueFeature;
import io.memaudit.common.model.Checkpoint;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.OutputKind;
import io.memaudit.common.model.format.AuditableModel;
import io.memaudit.common.model.format.ModelFormats;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.TestCheckpoints;
import io.memaudit.common.score.FeatureScores;
import io.memaudit.common.score.SensitivityScore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End-to-end scoring of tiny models on generated probes, and a cross-check against plain-Java doubles. */
class CheckpointScorerTest {
    private static final ImageSet PROBES = SyntheticImages.generate("probes", 120, 1, 28, 28, 10, 99);
    private static final ProbeProvider PROVIDER = (name, n, seed, shape) -> {
        if (!name.equals("synthetic")) {
            throw new IllegalArgumentException("unknown probe set '" + name + "'");
        }
        if (n > PROBES.size()) {
            throw new IllegalArgumentException("probe set synthetic has " + PROBES.size() + " images, asked for " + n);
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return PROBES.subset("synthetic", idx);
    };

    @TempDir
    Path tmp;

    private static AuditRequest request(String spec, int n) {
        return new AuditRequest(spec, "synthetic", n, 1, RandomPatches.DEFAULT_SEED, null, null);
    }

    @Test
    void scoresATinyModelEndToEndAndReusesProbesAndNetwork() throws Exception {
        Path a = tmp.resolve("ckpt-0001");
        Path b = tmp.resolve("ckpt-0002");
        TestCheckpoints.writeMlp(a, 1);
        TestCheckpoints.writeMlp(b, 2);
        try (CheckpointScorer scorer = new CheckpointScorer(Device.cpu(), PROVIDER)) {
            AuditResult first = scorer.score(a, request("glyph:A", 100));
            assertEquals("glyph:A", first.featureId());
            assertEquals(io.memaudit.common.feature.ControlFeatures.K, first.kl().controls());
            assertEquals(io.memaudit.common.feature.ControlFeatures.K, first.controlIds().size());
            assertTrue(first.kl().rank() >= 1 && first.kl().rank() <= io.memaudit.common.feature.ControlFeatures.K + 1);
            assertEquals(io.memaudit.common.score.Evidence.Statistic.LABEL_RANK, first.evidence().statistic(),
                    "the metadata gives the label: M_label's rank decides");
            assertEquals(first.label().rank(), first.evidence().rank());
            assertTrue(first.verdict() != io.memaudit.common.score.Verdict.MEMORISED, "one checkpoint alone is never memorised");
            assertEquals(100, first.scores().n());
            assertNotNull(first.scores().mLabel(), "label comes from the metadata for the same feature");
            assertTrue(Double.isFinite(first.scores().mKl()) && Double.isFinite(first.kl().z()));
            AuditResult again = scorer.score(a, request("glyph:A", 100));
            assertEquals(first.scores().mKl(), again.scores().mKl(), 0.0, "deterministic");
            AuditResult other = scorer.score(b, request("glyph:A", 100));
            assertTrue(first.scores().mKl() != other.scores().mKl(), "parameters were reloaded");
            assertEquals(1, scorer.probeBuilds(), "probe batches are built once and reused");
            assertEquals(1, scorer.networkBuilds(), "one network; later checkpoints only reload parameters");
        }
    }

    @Test
    void deviceComputationMatchesPlainJavaDoubles() throws Exception {
        Path a = tmp.resolve("ckpt");
        CheckpointMetadata meta = TestCheckpoints.writeMlp(a, 3);
        AuditResult r;
        try (CheckpointScorer scorer = new CheckpointScorer(Device.cpu(), PROVIDER)) {
            r = scorer.score(a, request("glyph:A", 100));
        }
        UniqueFeature uf = FeatureSpec.parse("glyph:A").resolve(28, 28);
        List<UniqueFeature> feats = new ArrayList<>(List.of(uf));
        feats.addAll(ControlFeatures.controlsFor(uf, null));
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             AuditableModel model = ModelFormats.of("djl").open(Checkpoint.of(a, meta).spec(),
                     Checkpoint.of(a, meta).modelFile(), meta.paramsSha256(), m);
             ProbeInputs in = ProbeInputs.build(PROVIDER.probes("synthetic", 100, 1, new int[] {1, 28, 28}), feats,
                     meta.normalisationValue(), RandomPatches.DEFAULT_SEED, m)) {
            OutputReductions red = new OutputReductions(64);
            float[] p = red.probabilities(model, OutputKind.LOGITS, in.clean()).toFloatArray();
            float[] q = red.probabilities(model, OutputKind.LOGITS, in.feature(0)).toFloatArray();
            float[] rr = red.probabilities(model, OutputKind.LOGITS, in.random()).toFloatArray();
            FeatureScores java = SensitivityScore.fromProbabilities(toDouble(p, 10), toDouble(q, 10), toDouble(rr, 10), 3);
            assertRelative(java.meanKlFeature(), r.scores().meanKlFeature());
            assertRelative(java.meanKlControl(), r.scores().meanKlControl());
            assertRelative(java.mLabel(), r.scores().mLabel());
            assertRelative(java.mProbMax(), r.scores().mProbMax());
            assertEquals(java.mProbArgmax(), r.scores().mProbArgmax());
            double scale = Math.max(java.meanKlFeature(), java.meanKlControl());
            assertEquals(java.mKl(), r.scores().mKl(), 1e-5 * scale);
        }
    }

    private static void assertRelative(double expected, double actual) {
        double rel = Math.abs(expected - actual) / Math.max(Math.abs(expected), 1e-12);
        assertTrue(rel <= 1e-5, "relative difference " + rel + " between " + expected + " and " + actual);
    }

    private static double[][] toDouble(float[] flat, int k) {
        double[][] out = new double[flat.length / k][k];
        for (int i = 0; i < out.length; i++) {
            for (int c = 0; c < k; c++) {
                out[i][c] = flat[i * k + c];
            }
        }
        return out;
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        Path a = tmp.resolve("ckpt");
        TestCheckpoints.writeMlp(a, 1);
        try (CheckpointScorer scorer = new CheckpointScorer(Device.cpu(), PROVIDER)) {
            assertMessage(() -> scorer.score(a, request("glyph:A@25,25", 50)), "25");
            assertMessage(() -> scorer.score(a, request("glyph:A", 500)), "500");
            assertMessage(() -> scorer.score(a, new AuditRequest("glyph:A", "nope", 50, 1, 1, null, null)), "nope");
            assertMessage(() -> scorer.score(tmp.resolve("missing"), request("glyph:A", 50)), "missing");
            assertMessage(() -> scorer.score(a, new AuditRequest("glyph:A", "synthetic", 50, 1, 1, null, 12)), "12");
        }
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        RuntimeException e = assertThrows(RuntimeException.class, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(fragment), "message should name " + fragment + ": " + e.getMessage());
    }
}
