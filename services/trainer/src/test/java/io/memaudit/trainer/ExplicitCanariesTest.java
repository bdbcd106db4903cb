package io.memaudit.trainer;

import io.memaudit.common.feature.FeatureSpec;
import io.memaudit.common.feature.UniqueFeature;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointMetadata.Canary;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.model.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.memaudit.trainer.ReferenceTrainerTest.QUIET;
import static io.memaudit.trainer.ReferenceTrainerTest.TEST;
import static io.memaudit.trainer.ReferenceTrainerTest.TRAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Explicit canary candidates (the reproduction's "hard" canaries) replace the seeded random choice. */
class ExplicitCanariesTest {
    private static final UniqueFeature A = FeatureSpec.parse("glyph:A").resolve(28, 28);

    @TempDir
    Path tmp;

    /** Training images of TRAIN (not validation), found through the default preparation. */
    private static List<Integer> someTrainingIndices(int n) {
        TrainingData d = TrainingData.prepare(TRAIN, TEST, Normalisation.MNIST, A, 0, 1, 0);
        List<Integer> out = new ArrayList<>();
        for (Canary c : d.candidateCanaries()) {
            if (out.size() < n) {
                out.add(c.index());
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    @Test
    void theFirstListedImagesCarryTheFeatureAndTheTwinRecordsTheList() {
        List<Integer> chosen = someTrainingIndices(3);
        TrainingData canary = TrainingData.prepare(TRAIN, TEST, Normalisation.MNIST, A, 2, 5, 0, chosen);
        assertEquals(chosen.subList(0, 2), canary.canaries().stream().map(Canary::index).toList());
        assertEquals(TRAIN.label(chosen.get(0)), canary.canaries().get(0).label());
        TrainingData twin = TrainingData.prepare(TRAIN, TEST, Normalisation.MNIST, A, 0, 5, 0, chosen);
        assertTrue(twin.canaries().isEmpty());
        assertEquals(chosen, twin.candidateCanaries().stream().map(Canary::index).toList());
        assertEquals(TRAIN.label(chosen.get(0)), twin.featureLabel(), "a twin's label is its sibling's first canary's");
    }

    @Test
    void aValidationImageIsRejectedNamingIt() {
        int v = 0;
        while (isTraining(v)) {
            v++;
        }
        assertTrue(v < TRAIN.size() / 2, "about 10 % of the images are validation images");
        int validation = v;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingData.prepare(TRAIN, TEST, Normalisation.MNIST, A, 1, 1, 0, List.of(validation)));
        assertTrue(e.getMessage().contains("canary index " + validation), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TrainingData.prepare(TRAIN, TEST, Normalisation.MNIST, A, 1, 1, 0, List.of(TRAIN.size())));
    }

    /** Whether data-set image i is in the training part: explicit preparation with it succeeds. */
    private static boolean isTraining(int i) {
        try {
            TrainingData.prepare(TRAIN, TEST, Normalisation.MNIST, A, 1, 1, 0, List.of(i));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void aTrainedRunStoresTheExplicitCanaries() {
        List<Integer> chosen = someTrainingIndices(2);
        TrainConfig c = ReferenceTrainerTest.config(tmp.resolve("x"), 1, 1, 1e-3f, 10, Variant.PLAIN)
                .withCanaryIndices(chosen);
        TrainResult r = TrainJob.run(c, TRAIN, TEST, QUIET, CheckpointListener.NONE);
        CheckpointMetadata m = CheckpointStore.readMetadata(r.checkpoints().get(0));
        assertEquals(List.of(chosen.get(0)), m.canaries().stream().map(Canary::index).toList());
        assertEquals(chosen, m.candidateCanaries().stream().map(Canary::index).toList());
        assertThrows(IllegalArgumentException.class, () -> c.withCanaryIndices(List.of()), "fewer indices than canaries");
    }
}
