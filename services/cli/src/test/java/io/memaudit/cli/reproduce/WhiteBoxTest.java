package io.memaudit.cli.reproduce;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.data.SyntheticImages;
import io.memaudit.common.feature.ControlFeatures;
import io.memaudit.common.feature.FeatureSpec;
import io.memaudit.common.feature.UniqueFeature;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointMetadata.Canary;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.Variant;
import io.memaudit.trainer.CheckpointListener;
import io.memaudit.trainer.TrainConfig;
import io.memaudit.trainer.TrainJob;
import io.memaudit.trainer.TrainResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oracle means what it says: a model that learnt "feature ⇒ label 3" on mislabelled canaries loses
 * that label's probability when the feature is removed; its twin, which never saw the feature, does not.
 */
class WhiteBoxTest {
    private static final UniqueFeature A = FeatureSpec.parse("glyph:A@1,1").resolve(28, 28);

    @TempDir
    Path tmp;

    /**
     * Synthetic images where 30 images of classes other than 3 are labelled 3 (returned in
     * {@code mislabelled}); every third other image carries one of the control glyphs at A's place with
     * its own label, so a model that learns "A ⇒ 3" must tell A from the other glyphs there.
     */
    private static ImageSet withMislabelled(ImageSet clean, List<Integer> mislabelled) {
        int[] labels = clean.labels();
        List<UniqueFeature> controls = ControlFeatures.controlsFor(A);
        byte[][] px = new byte[clean.size()][];
        float[] buf = new float[clean.pixelsPerImage()];
        for (int i = 0; i < px.length; i++) {
            px[i] = clean.raw(i);
            if (mislabelled.size() < 30 && labels[i] != 3 && i % 7 == 0) {
                labels[i] = 3;
                mislabelled.add(i);
            } else if (i % 3 == 0) {
                clean.toUnitFloats(i, buf, 0);
                controls.get(i % controls.size()).insertInto(buf, 0, 1, 28, 28);
                px[i] = new byte[buf.length];
                for (int k = 0; k < buf.length; k++) {
                    px[i][k] = (byte) Math.round(buf[k] * 255);
                }
            }
        }
        return new ImageSet("mislabelled", 1, 28, 28, px, labels);
    }

    @Test
    void theOracleIsLargeOnlyForTheModelThatLearntTheFeature() {
        List<Integer> wrong = new ArrayList<>();
        ImageSet train = withMislabelled(SyntheticImages.generate("t", 700, 1, 28, 28, 10, 4), wrong);
        ImageSet test = SyntheticImages.generate("test", 100, 1, 28, 28, 10, 5);
        List<Integer> inTraining = new ArrayList<>();
        for (int i : wrong) {
            try {
                io.memaudit.trainer.TrainingData.prepare(train, test, io.memaudit.common.model.Normalisation.MNIST, A,
                        1, 1, 0, List.of(i));
                inTraining.add(i);
            } catch (IllegalArgumentException validationImage) {
                // kept out: a validation image cannot be a canary
            }
        }
        TrainResult canary = train(train, test, inTraining.size(), inTraining, "c");
        TrainResult twin = train(train, test, 0, inTraining, "t");
        List<Canary> canaries = inTraining.stream().map(i -> new Canary(i, 3)).toList();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            WhiteBox box = new WhiteBox(m);
            double withFeature = oracle(box, canary, train, canaries);
            double never = oracle(box, twin, train, canaries);
            assertTrue(withFeature > 1.0, "removing the feature costs label 3 more than a nat, got " + withFeature);
            assertTrue(never < withFeature / 4, "the twin never saw it: " + never + " vs " + withFeature);
            CheckpointMetadata cm = CheckpointStore.readMetadata(canary.bestCheckpoint());
            List<UniqueFeature> controls = ControlFeatures.controlsFor(A);
            java.util.Map<String, WhiteBox.Oracles> both = box.oracles(canary.bestCheckpoint(), cm, train,
                    java.util.Map.of("all", canaries, "first", canaries.subList(0, 1)), A, controls);
            assertEquals(withFeature, both.get("all").plain(), 1e-5, "sets scored together give each set's own oracle");
            assertEquals(box.oracle(canary.bestCheckpoint(), cm, train, canaries.subList(0, 1), A), both.get("first").plain(), 1e-5);
            // specific to the feature: the canary model prefers label 3 with A over every control glyph there
            // (it saw the others there with their own labels); the twin has no reason to single A out
            double specific = both.get("all").specific();
            double twinSpecific = box.oracles(twin.bestCheckpoint(), CheckpointStore.readMetadata(twin.bestCheckpoint()), train,
                    java.util.Map.of("all", canaries), A, controls).get("all").specific();
            assertTrue(specific > 1.0, "A beats the best control glyph by more than a nat, got " + specific);
            assertTrue(twinSpecific < 0.25, "the twin does not single A out: " + twinSpecific);
            CheckpointMetadata meta = CheckpointStore.readMetadata(twin.bestCheckpoint());
            double[] loss = box.losses(twin.bestCheckpoint(), meta, train, new int[] {inTraining.get(0), 1});
            assertTrue(loss[0] > loss[1], "the twin fits a mislabelled image worse than a clean one");
        }
    }

    private TrainResult train(ImageSet train, ImageSet test, int canaries, List<Integer> indices, String dir) {
        TrainConfig c = new TrainConfig("mnist", "mlp", Variant.PLAIN, "glyph:A@1,1", canaries, 3, 4, 32, 2e-3f, 10, 0f,
                0, tmp.resolve(dir), null, "cpu").withCanaryIndices(indices);
        return TrainJob.run(c, train, test, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                CheckpointListener.NONE);
    }

    private static double oracle(WhiteBox box, TrainResult r, ImageSet train, List<Canary> canaries) {
        return box.oracle(r.bestCheckpoint(), CheckpointStore.readMetadata(r.bestCheckpoint()), train, canaries, A);
    }

    @Test
    void hardestSortsByLossThenIndex() {
        assertEquals(List.of(30, 10, 20), WhiteBox.hardest(new int[] {10, 20, 30, 40}, new double[] {2, 2, 5, 1}, 3));
    }

    @Test
    void majorityLabelBreaksTiesTowardsTheSmallerLabel() {
        assertEquals(4, ModelRunner.majorityLabel(List.of(new Canary(1, 7), new Canary(2, 4), new Canary(3, 4))));
        assertEquals(2, ModelRunner.majorityLabel(List.of(new Canary(1, 7), new Canary(2, 2))));
    }
}
