package io.memaudit.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.model.Architecture;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointMetadata.FeatureRef;
import io.memaudit.common.model.CheckpointMetadata.Metrics;
import io.memaudit.common.model.CheckpointMetadata.NormalisationJson;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.Variant;
import io.memaudit.common.util.ProgressBar;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Trains one model with Adam on images that may carry a unique feature, saving a checkpoint (params +
 * metadata) after every epoch, stopping early on validation loss and reporting the best checkpoint's
 * test accuracy. A run with 0 canaries is the twin: same initialisation, data order and dropout masks.
 */
public final class ReferenceTrainer {
    private final TrainConfig config;
    private final TrainingData data;
    private final String featureSpec;
    private final Device device;
    private final PrintStream progressOut;

    public ReferenceTrainer(TrainConfig config, TrainingData data, String featureSpec, Device device,
                            PrintStream progressOut) {
        this.config = config;
        this.data = data;
        this.featureSpec = featureSpec;
        this.device = device;
        this.progressOut = progressOut;
    }

    public TrainResult run(CheckpointListener listener) {
        long start = System.nanoTime();
        Architecture arch = config.architecture();
        ImageSet train = data.train();
        int classes = 1 + java.util.Arrays.stream(train.labels()).max().orElse(1);
        Engine.getInstance().setRandomSeed((int) config.seed());
        try (Model model = Model.newInstance(config.runId(), device);
             NDManager scratch = NDManager.newBaseManager(device)) {
            model.setBlock(arch.newBlock(classes));
            try (Trainer trainer = model.newTrainer(trainingConfig())) {
                trainer.initialize(new Shape(1, train.channels(), train.height(), train.width()));
                return loop(trainer, model, classes, start, listener);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing checkpoints under " + config.out() + " failed: " + e.getMessage(), e);
        }
    }

    private DefaultTrainingConfig trainingConfig() {
        float wd = config.variant() == Variant.L2 ? config.l2() : 0f;
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(config.learningRate()))
                .optWeightDecays(wd).build();
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(adam).optDevices(new Device[] {device});
    }

    private TrainResult loop(Trainer trainer, Model model, int classes, long start, CheckpointListener listener)
            throws IOException {
        Files.createDirectories(config.out());
        BatchSource batches = new BatchSource(data, config.architecture().isCnn(), config.variant() == Variant.AUGMENT);
        List<Path> checkpoints = new ArrayList<>();
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        long step = 0;
        boolean stoppedEarly = false;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            double[] trainStats = trainEpoch(trainer, batches, epoch);
            step += batches.batchesPerEpoch(config.batchSize());
            double[] val = Evaluation.evaluate(trainer, batches, data.validation());
            Path dir = config.out().resolve(String.format(Locale.ROOT, "ckpt-%04d", epoch));
            CheckpointMetadata meta = CheckpointStore.write(dir, model.getBlock(),
                    metadata(classes, epoch, step, new Metrics(trainStats[0], trainStats[1], val[0], val[1])));
            checkpoints.add(dir);
            progressOut.printf(Locale.ROOT, "epoch %d: train loss %.4f acc %.4f | val loss %.4f acc %.4f -> %s%n",
                    epoch, trainStats[0], trainStats[1], val[0], val[1], dir.getFileName());
            listener.onCheckpoint(dir, meta);
            if (val[0] < bestLoss) {
                bestLoss = val[0];
                bestEpoch = epoch;
            } else if (epoch - bestEpoch >= config.patience()) {
                stoppedEarly = epoch < config.epochs();
                break;
            }
        }
        Path best = checkpoints.get(bestEpoch - 1);
        double testAccuracy = testAccuracy(best, trainer, batches);
        TrainResult result = new TrainResult(config.runId(), checkpoints, best, bestEpoch, testAccuracy, stoppedEarly,
                data.canaries().stream().map(CheckpointMetadata.Canary::index).toList(),
                (System.nanoTime() - start) / 1e9);
        RunSummary.write(config, result);
        return result;
    }

    /**
     * Test accuracy of the best checkpoint, loaded into a model of its own: reloading it into the
     * training block would free arrays the trainer's parameter store still points at.
     */
    private double testAccuracy(Path best, Trainer trainer, BatchSource batches) {
        try (NDManager m = trainer.getManager().newSubManager();
             Model bestModel = CheckpointStore.load(best, CheckpointStore.readMetadata(best), m)) {
            return Evaluation.evaluate(bestModel.getBlock(), bestModel.getNDManager(), trainer.getLoss(), batches,
                    data.test())[1];
        }
    }

    private double[] trainEpoch(Trainer trainer, BatchSource batches, int epoch) {
        int[] order = batches.epochOrder(config.seed(), epoch);
        SplittableRandom augRng = new SplittableRandom(config.seed() * 1_000_003L + epoch);
        int nBatches = batches.batchesPerEpoch(config.batchSize());
        double lossSum = 0;
        long correct = 0;
        try (ProgressBar bar = new ProgressBar(String.format(Locale.ROOT, "epoch %d/%d", epoch, config.epochs()),
                nBatches, progressOut)) {
            for (int b = 0; b < nBatches; b++) {
                int from = b * config.batchSize();
                int to = Math.min(from + config.batchSize(), order.length);
                try (NDManager bm = trainer.getManager().newSubManager()) {
                    NDList x = new NDList(batches.trainBatch(bm, order, from, to, augRng));
                    NDList y = new NDList(batches.labels(bm, data.train(), order, from, to));
                    NDArray loss;
                    NDList pred;
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        pred = trainer.forward(x, y);
                        loss = trainer.getLoss().evaluate(y, pred);
                        gc.backward(loss);
                    }
                    trainer.step();
                    double l = loss.getFloat();
                    lossSum += l * (to - from);
                    correct += pred.singletonOrThrow().argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false)
                            .eq(y.singletonOrThrow().toType(ai.djl.ndarray.types.DataType.INT32, false)).sum().getLong();
                    if (!Double.isFinite(l)) {
                        throw new IllegalStateException("training diverged at epoch " + epoch + " batch " + b
                                + " (loss " + l + "); try a smaller --lr");
                    }
                    bar.set(b + 1, String.format(Locale.ROOT, "loss %.4f", l));
                }
            }
        }
        return new double[] {lossSum / order.length, correct / (double) order.length};
    }

    private CheckpointMetadata metadata(int classes, int epoch, long step, Metrics metrics) {
        ImageSet train = data.train();
        return new CheckpointMetadata(CheckpointMetadata.FORMAT, config.runId(), config.dataset(),
                config.architecture().wireName(), config.variant().wireName(), train.shape(), classes,
                NormalisationJson.of(data.normalisation()),
                new FeatureRef(featureSpec, data.feature().id(), data.featureLabel()),
                data.canaries(), data.candidateCanaries(), config.seed(), epoch, step, metrics, null, null,
                Instant.now().toString());
    }
}
