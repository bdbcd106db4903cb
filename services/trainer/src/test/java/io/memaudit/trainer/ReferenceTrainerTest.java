package io.memaudit.trainer;

import io.memaudit.common.data.ImageSet;
import io.memaudit.common.data.SyntheticImages;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trains tiny models on generated images: checkpoints, metadata, twins, early stopping. */
class ReferenceTrainerTest {
    static final ImageSet TRAIN = SyntheticImages.generate("synthetic/train", 640, 1, 28, 28, 10, 1);
    static final ImageSet TEST = SyntheticImages.generate("synthetic/test", 200, 1, 28, 28, 10, 2);
    static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

    @TempDir
    Path tmp;

    static TrainConfig config(Path out, int canaries, int epochs, float lr, int patience, Variant variant) {
        return new TrainConfig("mnist", "mlp", variant, "glyph:A", canaries, 11, epochs, 64, lr, patience,
                TrainConfig.DEFAULT_L2, 0, out, null, "cpu");
    }

    @Test
    void writesOneCheckpointPerEpochWithCompleteMetadata() {
        List<Path> seen = new ArrayList<>();
        TrainResult r = TrainJob.run(config(tmp.resolve("run"), 1, 2, 1e-3f, 10, Variant.PLAIN), TRAIN, TEST, QUIET,
                (dir, meta) -> seen.add(dir));
        assertEquals(List.of(tmp.resolve("run/ckpt-0001"), tmp.resolve("run/ckpt-0002")), r.checkpoints());
        assertEquals(r.checkpoints(), seen, "the listener sees every checkpoint once it is on disk");
        assertTrue(Files.exists(tmp.resolve("run/run.json")));
        assertTrue(r.testAccuracy() > 0.5, "the synthetic task is learnable, got " + r.testAccuracy());
        CheckpointMetadata m = CheckpointStore.readMetadata(r.checkpoints().get(1));
        assertEquals(2, m.epoch());
        assertEquals(2 * 9, m.step(), "576 training images in batches of 64 = 9 steps per epoch");
        assertEquals("mlp", m.architecture());
        assertEquals(10, m.classes());
        assertEquals("glyph:A@1,1", m.feature().spec());
        assertEquals(1, m.canaries().size());
        assertEquals(m.canaries().get(0).label(), m.feature().label());
        assertEquals(TRAIN.label(m.canaries().get(0).index()), m.canaries().get(0).label(),
                "canary indices number the data set's own training images");
        assertTrue(m.metrics().valLoss() > 0 && m.metrics().valAccuracy() > 0);
    }

    @Test
    void twinsAreIdenticalApartFromTheCanary() throws Exception {
        TrainResult twin1 = TrainJob.run(config(tmp.resolve("t1"), 0, 1, 1e-3f, 10, Variant.DROPOUT), TRAIN, TEST, QUIET,
                CheckpointListener.NONE);
        TrainResult twin2 = TrainJob.run(config(tmp.resolve("t2"), 0, 1, 1e-3f, 10, Variant.DROPOUT), TRAIN, TEST, QUIET,
                CheckpointListener.NONE);
        TrainResult canary = TrainJob.run(config(tmp.resolve("c"), 1, 1, 1e-3f, 10, Variant.DROPOUT), TRAIN, TEST, QUIET,
                CheckpointListener.NONE);
        String s1 = CheckpointStore.readMetadata(twin1.checkpoints().get(0)).paramsSha256();
        String s2 = CheckpointStore.readMetadata(twin2.checkpoints().get(0)).paramsSha256();
        String sc = CheckpointStore.readMetadata(canary.checkpoints().get(0)).paramsSha256();
        assertEquals(s1, s2, "same seed: same initialisation, data order and dropout masks");
        assertNotEquals(s1, sc, "the canary image changes training");
        CheckpointMetadata t = CheckpointStore.readMetadata(twin1.checkpoints().get(0));
        CheckpointMetadata c = CheckpointStore.readMetadata(canary.checkpoints().get(0));
        assertTrue(t.canaries().isEmpty());
        assertEquals(c.canaries().get(0), t.candidateCanaries().get(0), "the twin knows its sibling's canary");
    }

    @Test
    void earlyStoppingKeepsTheBestValidationCheckpoint() {
        int[] shuffled = TRAIN.labels();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < shuffled.length; i++) {
            shuffled[i] = rng.nextInt(10);
        }
        byte[][] px = new byte[TRAIN.size()][];
        for (int i = 0; i < px.length; i++) {
            px[i] = TRAIN.raw(i);
        }
        ImageSet noise = new ImageSet("random-labels", 1, 28, 28, px, shuffled);
        TrainResult r = TrainJob.run(config(tmp.resolve("es"), 1, 30, 3e-3f, 2, Variant.PLAIN), noise, TEST, QUIET,
                CheckpointListener.NONE);
        assertTrue(r.stoppedEarly(), "random labels overfit: validation loss must rise");
        assertEquals(r.bestEpoch() + 2, r.checkpoints().size(), "stops after `patience` epochs without improvement");
        double best = Double.MAX_VALUE;
        int argmin = 0;
        for (Path p : r.checkpoints()) {
            CheckpointMetadata m = CheckpointStore.readMetadata(p);
            if (m.metrics().valLoss() < best) {
                best = m.metrics().valLoss();
                argmin = m.epoch();
            }
        }
        assertEquals(argmin, r.bestEpoch());
    }

    @Test
    void badSettingsNameTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config(tmp, -1, 1, 1e-3f, 1, Variant.PLAIN));
        assertTrue(e.getMessage().contains("--canaries"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainJob.run(
                new TrainConfig("mnist", "mlp", Variant.PLAIN, "glyph:A@30,1", 1, 1, 1, 64, 1e-3f, 1, 0, 0, tmp, null, "cpu"),
                TRAIN, TEST, QUIET, CheckpointListener.NONE));
        assertTrue(e.getMessage().contains("30"), e.getMessage());
    }
}
