package io.memaudit.trainer;

import io.memaudit.common.data.DataDirectory;
import io.memaudit.common.data.DatasetName;
import io.memaudit.common.data.Datasets;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.feature.FeatureSpec;
import io.memaudit.common.feature.UniqueFeature;
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.util.Devices;

import java.io.PrintStream;

/** Loads a run's data set, plants the feature and trains: the whole of {@code memaudit train}. */
public final class TrainJob {
    private TrainJob() { }

    public static TrainResult run(TrainConfig config, DataDirectory dataDir, PrintStream out, CheckpointListener listener) {
        DatasetName name = DatasetName.parse(config.dataset());
        ImageSet train = Datasets.load(dataDir, name, io.memaudit.common.data.Split.TRAIN);
        ImageSet test = Datasets.load(dataDir, name, io.memaudit.common.data.Split.TEST);
        return run(config, train, test, out, listener);
    }

    /** Trains on the given images (tests use small generated sets). */
    public static TrainResult run(TrainConfig config, ImageSet train, ImageSet test, PrintStream out,
                                  CheckpointListener listener) {
        FeatureSpec spec = FeatureSpec.parse(config.featureSpec());
        UniqueFeature feature = spec.resolve(train.height(), train.width());
        Normalisation norm = Normalisation.forDataset(config.dataset());
        TrainingData data = TrainingData.prepare(train, test, norm, feature, config.canaries(), config.seed(),
                config.trainLimit(), config.canaryIndices());
        String storedSpec = feature.spec().withPosition(feature.row(), feature.col()).toSpecString();
        out.printf("training %s: %s on %s (%d train / %d validation / %d test images), feature %s in %d image(s)%s%n",
                config.runId(), config.architecture().wireName(), config.dataset(), data.train().size(),
                data.validation().size(), data.test().size(), feature.id(), config.canaries(),
                config.canaries() == 0 ? " (twin)" : " " + data.canaries());
        return new ReferenceTrainer(config, data, storedSpec, Devices.parse(config.device()), out).run(listener);
    }
}
