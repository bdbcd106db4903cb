package io.memaudit.cli;

import io.memaudit.common.model.Variant;
import io.memaudit.trainer.CheckpointListener;
import io.memaudit.trainer.KafkaCheckpointPublisher;
import io.memaudit.trainer.TrainConfig;
import io.memaudit.trainer.TrainJob;
import io.memaudit.trainer.TrainResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        header = "Trains a reference model with a unique feature planted in some training images.",
        description = {"Trains a reference model with a unique feature planted in --canaries training images,",
                "writing one checkpoint (params + metadata.json) per epoch under --out."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--dataset", paramLabel = "mnist|fashion-mnist|cifar10", required = true, description = "mnist, fashion-mnist or cifar10.")
    String dataset;
    @Option(names = "--architecture", paramLabel = "NAME", defaultValue = "mlp", description = "The network: mlp or cnn (default: ${DEFAULT-VALUE}).")
    String model;
    @Option(names = "--variant", paramLabel = "VARIANT", defaultValue = "plain", description = "plain, bn, dropout, augment or l2 (default: ${DEFAULT-VALUE}).")
    String variant;
    @Option(names = "--uf", paramLabel = "SPEC", defaultValue = "glyph:A", description = "Unique feature, e.g. glyph:A, glyph:A@1,1, 'text:JANE DOE' (default: ${DEFAULT-VALUE}).")
    String uf;
    @Option(names = "--canaries", defaultValue = "1", description = "Training images that carry the feature; 0 trains the twin (default: ${DEFAULT-VALUE}).")
    int canaries;
    @Option(names = "--seed", defaultValue = "7", description = "Seed for initialisation, data order and canary choice (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--epochs", defaultValue = "10", description = "Maximum epochs (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--batch-size", defaultValue = "128", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--lr", defaultValue = "3e-4", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float lr;
    @Option(names = "--patience", defaultValue = "10", description = "Early-stopping patience in epochs (default: ${DEFAULT-VALUE}).")
    int patience;
    @Option(names = "--l2", defaultValue = "1e-4", description = "Weight decay of the l2 variant (default: ${DEFAULT-VALUE}).")
    float l2;
    @Option(names = "--train-limit", defaultValue = "0", description = "Train on the first N training images only; 0 = all (default: ${DEFAULT-VALUE}).")
    int trainLimit;
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Run directory for checkpoints and run.json.")
    Path out;
    @Option(names = "--run-id", paramLabel = "ID", description = "Run id stored in every checkpoint and event (default: "
            + "a new one for each run: the settings, the start time and a random suffix, e.g. mnist-mlp-plain-s7-c1-20261202T201500Z-3fa2).")
    String runId;
    @Mixin
    DeviceOption device;
    @Option(names = "--kafka", paramLabel = "BOOTSTRAP",
            description = "Publish a checkpoint event to this Kafka cluster after each checkpoint (e.g. localhost:9092).")
    String kafka;
    @Option(names = "--topic", defaultValue = KafkaCheckpointPublisher.DEFAULT_TOPIC, description = "Checkpoint topic (default: ${DEFAULT-VALUE}).")
    String topic;
    @Mixin
    KafkaCheckOptions kafkaCheck;
    @Option(names = "--audit-probes", defaultValue = "", paramLabel = "SET",
            description = "Probe set named in published events (default: cifar10-gray-28 for 28x28 data, mnist-rgb-32 for CIFAR-10).")
    String auditProbes;
    @Option(names = "--audit-n", defaultValue = "2000", description = "Probe images named in published events (default: ${DEFAULT-VALUE}).")
    int auditN;
    @Mixin
    DataOptions data;

    @Option(names = "--checkpoint-uri", paramLabel = "s3://BUCKET[/PREFIX]",
            description = "Also upload each checkpoint to s3://BUCKET/PREFIX/<run id>/ckpt-NNNN/; published events then name it "
                    + "(credentials: the AWS SDK's default chain).")
    java.net.URI checkpointUri;
    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3-compatible endpoint for --checkpoint-uri (MinIO, Ceph).")
    java.net.URI s3Endpoint;
    @Option(names = "--s3-region", defaultValue = "us-east-1", description = "Region for --checkpoint-uri (default: ${DEFAULT-VALUE}).")
    String s3Region;
    @Option(names = "--s3-path-style", description = "Path-style S3 addressing (MinIO, Ceph).")
    boolean s3PathStyle;

    @Option(names = "--force", description = "Delete what --out holds (an earlier run's checkpoints and run.json) before training.")
    boolean force;

    @Override
    public Integer call() throws java.io.IOException {
        TrainConfig config = config();
        if (kafka != null) { // before an epoch is trained (and --force deletes anything), not when a checkpoint cannot be published
            kafkaCheck.require(kafka, "--kafka");
        }
        refuseToMixRuns();
        DatasetsCommand.ensure(data.directory(), dataset);
        TrainResult r;
        String probes = !auditProbes.isEmpty() ? auditProbes : dataset.equals("cifar10") ? "mnist-rgb-32" : "cifar10-gray-28";
        try (KafkaCheckpointPublisher pub = kafka == null ? null : new KafkaCheckpointPublisher(
                java.util.Map.of("bootstrap.servers", kafka), topic, java.util.List.of(uf), probes, auditN);
             S3CheckpointUploader upload = checkpointUri == null ? null : new S3CheckpointUploader(checkpointUri, s3Endpoint,
                     s3Region, s3PathStyle, pub, java.util.List.of(uf), probes, auditN)) {
            CheckpointListener listener = upload != null ? upload : pub != null ? pub : CheckpointListener.NONE;
            r = TrainJob.run(config, data.directory(), System.err, listener);
        }
        System.out.printf(Locale.ROOT, "run %s: %d checkpoint(s) in %s; best %s (epoch %d)%s; test accuracy %.4f; %.1f s%n",
                r.runId(), r.checkpoints().size(), out, r.bestCheckpoint().getFileName(), r.bestEpoch(),
                r.stoppedEarly() ? ", stopped early" : "", r.testAccuracy(), r.seconds());
        return 0;
    }

    /**
     * A run directory holds one run: training into a non-empty one would overwrite some checkpoints and
     * keep others, and score --all-checkpoints would then mix two runs without a word.
     */
    private void refuseToMixRuns() throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(out)) {
            return;
        }
        try (var entries = java.nio.file.Files.list(out)) {
            if (entries.findAny().isEmpty()) {
                return;
            }
        }
        if (!force) {
            throw new IllegalArgumentException("--out " + out + " is not empty (an earlier run?): choose a new directory, "
                    + "or add --force to delete its contents first");
        }
        io.memaudit.common.util.FileTrees.deleteRecursively(out);
    }

    TrainConfig config() {
        return new TrainConfig(dataset, model, Variant.parse(variant), uf, canaries, seed, epochs, batchSize, lr,
                patience, l2, trainLimit, out, runId, device.spec);
    }
}
