package io.memaudit.cli.reproduce;

import io.memaudit.common.data.ImageSet;
import io.memaudit.common.feature.FeatureSpec;
import io.memaudit.common.feature.UniqueFeature;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.util.Json;
import io.memaudit.trainer.TrainingData;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * "Hard" canaries: the training images the twin (trained without the feature) fits worst, i.e. with the
 * highest cross-entropy loss at its best-validation checkpoint, highest first. Stored per twin in
 * {@code hard/<twin run id>.json} so its canary siblings, trained later, use the same list.
 */
final class HardCanaries {
    /** The stored list: data-set training indices and the twin's loss on each. */
    record HardList(String twinRunId, List<Integer> indices, List<Double> losses) { }

    private HardCanaries() { }

    static Path file(Path outDir, GridCell twin) {
        return outDir.resolve("hard").resolve(twin.runId() + ".json");
    }

    /** Ranks every image of the twin's training part by its loss and keeps the {@code k} hardest. */
    static HardList compute(WhiteBox box, Path bestCheckpoint, ImageSet fullTrain, ImageSet test, GridCell twin,
                            StudySettings s, int k) {
        CheckpointMetadata meta = CheckpointStore.readMetadata(bestCheckpoint);
        UniqueFeature uf = FeatureSpec.parse(s.feature()).resolve(fullTrain.height(), fullTrain.width());
        Normalisation norm = meta.normalisationValue();
        TrainingData data = TrainingData.prepare(fullTrain, test, norm, uf, 0, twin.seed(), s.trainLimit());
        int[] indices = new int[data.train().size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = data.sourceIndex(i);
        }
        double[] losses = box.losses(bestCheckpoint, meta, fullTrain, indices);
        List<Integer> hardest = WhiteBox.hardest(indices, losses, k);
        java.util.Map<Integer, Double> lossOf = new java.util.HashMap<>();
        for (int i = 0; i < indices.length; i++) {
            lossOf.put(indices[i], losses[i]);
        }
        return new HardList(twin.runId(), hardest, hardest.stream().map(lossOf::get).toList());
    }

    static void save(Path outDir, GridCell twin, HardList list) throws IOException {
        Path f = file(outDir, twin);
        Files.createDirectories(f.getParent());
        Files.writeString(f, Json.GSON.toJson(list), StandardCharsets.UTF_8);
    }

    static HardList load(Path outDir, GridCell twin) throws IOException {
        Path f = file(outDir, twin);
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException("hard canaries of " + twin.describe() + " need the twin's list " + f
                    + ", which is missing: delete the twin's rows from results.csv to retrain it");
        }
        return Json.GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), HardList.class);
    }
}
