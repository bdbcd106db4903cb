package io.memaudit.cli;

import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.Variant;
import io.memaudit.common.scoring.AuditRequest;
import io.memaudit.common.scoring.AuditResult;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.common.util.Devices;
import io.memaudit.trainer.TrainConfig;
import io.memaudit.trainer.TrainJob;
import io.memaudit.trainer.TrainResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Trains an MNIST MLP with a name planted in one training image and audits every checkpoint",
                "as soon as it is saved, printing one line per checkpoint; then writes scores.csv and scores.png."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--uf", defaultValue = "text:JANE DOE", description = "Feature to plant and audit (default: ${DEFAULT-VALUE}).")
    String uf;
    @Option(names = "--canaries", defaultValue = "1", description = "Training images carrying the feature (default: ${DEFAULT-VALUE}).")
    int canaries;
    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--seed", defaultValue = "7", description = "Training seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--n", defaultValue = "2000", description = "Probe images (default: ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--train-limit", defaultValue = "0", description = "Use only N training images; 0 = all (default: ${DEFAULT-VALUE}).")
    int trainLimit;
    @Option(names = "--out", description = "Run directory (default: a new directory under runs/).")
    Path out;
    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;
    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        Path runDir = out != null ? out : Files.createDirectories(Path.of("runs")).resolve("demo-" + System.currentTimeMillis());
        DatasetsCommand.ensure(data.directory(), "mnist");
        DatasetsCommand.ensure(data.directory(), "cifar10");
        TrainConfig config = new TrainConfig("mnist", "mlp", Variant.PLAIN, uf, canaries, seed, epochs,
                TrainConfig.DEFAULT_BATCH, TrainConfig.DEFAULT_LR, TrainConfig.DEFAULT_PATIENCE, TrainConfig.DEFAULT_L2,
                trainLimit, runDir, "demo-mnist-mlp", device);
        AuditRequest request = new AuditRequest(uf, "cifar10-gray-28", n, 1, io.memaudit.common.feature.RandomPatches.DEFAULT_SEED,
                null, null);
        List<RunScoring.Row> rows = new ArrayList<>();
        try (CheckpointScorer scorer = new CheckpointScorer(Devices.parse(device), new DatasetProbes(data.directory()))) {
            System.out.println("memaudit demo: auditing " + uf + " in " + canaries + " training image(s), "
                    + scorer.engineDescription());
            TrainResult result = TrainJob.run(config, data.directory(), System.err, (dir, meta) -> {
                AuditResult r = scorer.score(dir, meta, request);
                RunScoring.row(rows, meta, r);
                System.out.println((rows.size() == 1 ? ScoreTable.RUN_HEADER + "\n" : "") + ScoreTable.runRow(meta, r));
            });
            System.out.printf(Locale.ROOT, "test accuracy %.4f (best checkpoint %s)%n", result.testAccuracy(),
                    result.bestCheckpoint().getFileName());
            RunScoring.Summary s = RunScoring.writeReports(rows, runDir);
            System.out.println("scores: " + s.csv() + "\nplot:   " + s.png());
        }
        return 0;
    }
}
