package io.memaudit.common.scoring;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
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
import io.memaudit.common.model.PassSize;
import io.memaudit.common.model.TestCheckpoints;
import io.memaudit.common.score.MemorisationRule;
import io.memaudit.common.score.SequentialStop;
import io.memaudit.common.score.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Audits in blocks of probes: the same numbers as in one block, and an early stop where nothing can change. */
class SequentialAuditTest {
    private static final ImageSet PROBES = SyntheticImages.generate("probes", 120, 1, 28, 28, 10, 99);
    private static final ProbeProvider PROVIDER = (name, n, seed, shape) -> PROBES.subset("synthetic",
            IntStream.range(0, n).toArray());

    @TempDir
    Path tmp;

    private static AuditRequest request(int n, int controls) {
        return new AuditRequest("glyph:A", "synthetic", n, 1, RandomPatches.DEFAULT_SEED, null, null).withControls(controls);
    }

    /** A seeded MLP checkpoint opened through the djl format, and 100 probes with the feature and 5 controls. */
    private static final class MlpOnProbes implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager(Device.cpu());
        final AuditableModel model;
        final ProbeInputs in;

        MlpOnProbes(Path dir) throws Exception {
            Path ckpt = dir.resolve("ckpt-0001");
            CheckpointMetadata meta = TestCheckpoints.writeMlp(ckpt, 3);
            UniqueFeature uf = FeatureSpec.parse("glyph:A").resolve(28, 28);
            List<UniqueFeature> features = new ArrayList<>(List.of(uf));
            features.addAll(ControlFeatures.controlsFor(uf, null).subList(0, 5));
            model = ModelFormats.of("djl").open(Checkpoint.of(ckpt, meta).spec(), Checkpoint.of(ckpt, meta).modelFile(),
                    meta.paramsSha256(), manager);
            in = ProbeInputs.build(PROVIDER.probes("synthetic", 100, 1, new int[] {1, 28, 28}), features,
                    meta.normalisationValue(), RandomPatches.DEFAULT_SEED, manager);
        }

        @Override
        public void close() {
            in.close();
            model.close();
            manager.close();
        }
    }

    @Test
    void blocksOfProbesGiveTheReductionsOfOneBlock() throws Exception {
        try (MlpOnProbes f = new MlpOnProbes(tmp)) {
            AuditableModel model = f.model;
            ProbeInputs in = f.in;
            OutputReductions reductions = new OutputReductions(2000);
            OutputReductions.Result whole = reductions.compute(model, OutputKind.LOGITS, in, 3);
            // 30 + 30 + 30 + 10 probes; a rank of 6 cannot be reached with 5 controls, so no look stops
            OutputReductions.Result blocks = reductions.compute(model, OutputKind.LOGITS, in, 3, new SequentialStop(30, 1e-3), 6);
            assertSameReductions(whole, blocks);
        }
    }

    /**
     * Blocks smaller than a chunk run several variants' probes in one forward pass. Stacked, split
     * across chunk boundaries mid-variant, or one variant per pass: the same numbers per image.
     */
    @Test
    void variantsStackedIntoOneForwardPassGiveTheSameReductions() throws Exception {
        try (MlpOnProbes f = new MlpOnProbes(tmp)) {
            AuditableModel model = f.model;
            ProbeInputs in = f.in;
            // a chunk of 100 holds exactly one variant's probes: one forward pass per variant
            OutputReductions.Result separate = new OutputReductions(100).compute(model, OutputKind.LOGITS, in, 3);
            // 7 variants × 100 probes stacked, run as chunks of 2000 (one pass) and of 250 (variants cut mid-way)
            assertSameReductions(separate, new OutputReductions(2000).compute(model, OutputKind.LOGITS, in, 3));
            assertSameReductions(separate, new OutputReductions(250).compute(model, OutputKind.LOGITS, in, 3));
        }
    }

    /**
     * A model that prefers passes of 30 images: no pass is larger, blocks of 20 are stacked (cut
     * mid-variant at 30), blocks of 50 are cut into 30 + 20 — and the numbers per image are those of
     * one pass per variant.
     */
    @Test
    void aModelsPreferredPassSizeBoundsEveryPassWithTheSameReductions() throws Exception {
        try (MlpOnProbes f = new MlpOnProbes(tmp)) {
            OutputReductions.Result separate = new OutputReductions(100).compute(new Passes(f.model, PassSize.UNKNOWN),
                    OutputKind.LOGITS, f.in, 3);
            for (int block : new int[] {20, 50, 100}) {
                Passes model = new Passes(f.model, PassSize.of(30));
                OutputReductions.Result r = new OutputReductions(2000).compute(model, OutputKind.LOGITS, f.in, 3,
                        new SequentialStop(block, 1e-3), 6);
                assertSameReductions(separate, r);
                assertEquals(30, model.sizes.stream().mapToLong(Long::longValue).max().orElseThrow(), "largest pass, blocks of " + block);
                assertEquals(100 * 8, model.sizes.stream().mapToLong(Long::longValue).sum(), "every image once, blocks of " + block);
            }
            // the chunk stays the upper bound
            Passes model = new Passes(f.model, PassSize.of(30));
            new OutputReductions(25).compute(model, OutputKind.LOGITS, f.in, 3);
            assertEquals(25, model.sizes.stream().mapToLong(Long::longValue).max().orElseThrow());
        }
    }

    /** The built-in dense networks take the largest passes; the CNN on the CPU the size it was measured fastest at. */
    @Test
    void theBuiltInNetworksPreferredPassSizes() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (io.memaudit.common.model.Architecture arch : List.of(io.memaudit.common.model.Architecture.MLP,
                    io.memaudit.common.model.Architecture.CNN)) {
                Path ckpt = tmp.resolve(arch.wireName() + "/ckpt-0001");
                int[] shape = arch.isCnn() ? new int[] {3, 32, 32} : new int[] {1, 28, 28};
                CheckpointMetadata meta = TestCheckpoints.write(ckpt, arch, shape, 10,
                        arch.isCnn() ? io.memaudit.common.model.Normalisation.CIFAR10 : io.memaudit.common.model.Normalisation.MNIST, 1);
                try (AuditableModel model = ModelFormats.of("djl").open(Checkpoint.of(ckpt, meta).spec(),
                        Checkpoint.of(ckpt, meta).modelFile(), meta.paramsSha256(), m)) {
                    assertEquals(arch.isCnn() ? PassSize.of(250) : PassSize.LARGEST, model.preferredPassSize(), arch.wireName());
                }
            }
        }
        assertEquals(PassSize.UNKNOWN, io.memaudit.common.model.Architecture.CNN.passSize(Device.gpu(0)),
                "nothing measured for the CNN on a GPU");
    }

    /** Another model's forward passes under a given pass size, each pass's image count recorded. */
    private static final class Passes implements AuditableModel {
        final AuditableModel inner;
        final PassSize passSize;
        final List<Long> sizes = new ArrayList<>();

        Passes(AuditableModel inner, PassSize passSize) {
            this.inner = inner;
            this.passSize = passSize;
        }

        @Override
        public ai.djl.ndarray.NDArray forward(ai.djl.ndarray.NDArray nchwBatch) {
            sizes.add(nchwBatch.getShape().get(0));
            return inner.forward(nchwBatch);
        }

        @Override
        public void reload(Path file, String sha256) {
            inner.reload(file, sha256);
        }

        @Override
        public PassSize preferredPassSize() {
            return passSize;
        }

        @Override
        public String engine() {
            return inner.engine();
        }

        @Override
        public void close() {
        }
    }

    private static void assertSameReductions(OutputReductions.Result expected, OutputReductions.Result actual) {
        List<OutputReductions.Variant> a = new ArrayList<>(List.of(expected.random()));
        a.addAll(expected.features());
        List<OutputReductions.Variant> b = new ArrayList<>(List.of(actual.random()));
        b.addAll(actual.features());
        assertEquals(7, b.size());
        for (int v = 0; v < a.size(); v++) {
            assertArrayEquals(a.get(v).kl(), b.get(v).kl(), 1e-6, "KL per image, variant " + v);
            assertArrayEquals(a.get(v).logProbLabel(), b.get(v).logProbLabel(), 1e-5, "log q[y], variant " + v);
            assertArrayEquals(a.get(v).meanDeltaProb(), b.get(v).meanDeltaProb(), 1e-7, "mean q − p, variant " + v);
        }
    }

    @Test
    void anUntrainedModelStopsAtTheFirstLookWithTheSameVerdict() throws Exception {
        Path ckpt = tmp.resolve("ckpt-0001");
        TestCheckpoints.writeMlp(ckpt, 4);
        SequentialStop stop = new SequentialStop(20, 1e-3);
        try (CheckpointScorer fixed = new CheckpointScorer(Device.cpu(), PROVIDER, MemorisationRule.DEFAULT, 2000);
             CheckpointScorer sequential = new CheckpointScorer(Device.cpu(), PROVIDER, MemorisationRule.DEFAULT, 2000, stop)) {
            AuditResult full = fixed.score(ckpt, request(120, 199));
            AuditResult early = sequential.score(ckpt, request(120, 199));
            assertTrue(early.controlProbes() < 120, "stopped after " + early.controlProbes() + " of 120 probes");
            assertEquals(0, early.controlProbes() % 20, "stops only at the end of a block");
            assertEquals(120, full.controlProbes());
            assertEquals(Verdict.NOT_MEMORISED, early.verdict());
            assertEquals(full.verdict(), early.verdict());
            assertTrue(early.evidence().rank() > SequentialStop.maxSignificantRank(MemorisationRule.DEFAULT, 199),
                    "the evidence at the stop is not significant: rank " + early.evidence().rank());
            assertEquals(120, early.scores().n(), "the feature's own scores cover every probe");
            assertEquals(full.scores().mKl(), early.scores().mKl(), 1e-6, "M_KL is the fixed-N one");
            assertEquals(full.scores().mLabel(), early.scores().mLabel(), 1e-6, "M_label too");
            assertEquals(full.scores().mProbMax(), early.scores().mProbMax(), 1e-7);
            assertNotEquals(full.controlMKl()[0], early.controlMKl()[0], "the controls' scores cover fewer probes");
        }
    }
}
