package io.memaudit.cli;

import io.memaudit.common.model.Checkpoint;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.ModelSpec;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.scoring.AuditRequest;
import io.memaudit.common.scoring.AuditResult;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.common.scoring.ScoreEvents;
import io.memaudit.common.util.Hashing;
import io.memaudit.common.util.Json;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "score", mixinStandardHelpOptions = true,
        header = "Scores checkpoints for memorisation of a unique feature.",
        description = {"Scores a checkpoint for memorisation of a unique feature (M_KL, M_label, M_prob, paired tests,",
                "rank among K control features, exposure, z, verdict). With --all-checkpoints, scores every",
                "checkpoint of a run in order and writes scores.csv and scores.png. With --model, scores a model",
                "file of your own (ONNX) described by --input-shape, --classes, --mean and --std."})
final class ScoreCommand implements Callable<Integer> {
    static final class Target {
        @Option(names = "--checkpoint", paramLabel = "DIR", required = true, description = "One checkpoint directory (e.g. runs/a/ckpt-0007).")
        Path checkpoint;
        @Option(names = "--all-checkpoints", paramLabel = "RUN_DIR", required = true, description = "A run directory: score each ckpt-NNNN in order.")
        Path run;
        @Option(names = "--model", paramLabel = "FILE", required = true,
                description = "A model file of your own (e.g. model.onnx); describe it with --input-shape, --classes, --mean, --std.")
        Path model;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;
    @Mixin
    AuditOptions audit;
    @Mixin
    ModelOptions modelOptions;
    @Option(names = "--format", paramLabel = "FORMAT",
            description = "With --model: onnx or djl (default: from the file name: .onnx is onnx, else djl).")
    String format;
    @Mixin
    DataOptions data;
    @Option(names = "--json", description = "Print JSON (one object; with --all-checkpoints one object per line).")
    boolean json;
    @Option(names = "--out", paramLabel = "DIR", description = "Where --all-checkpoints writes scores.csv and scores.png (default: the run directory).")
    Path out;
    @Option(names = "--sequential", description = "Score the probes in blocks of "
            + io.memaudit.common.score.SequentialStop.DEFAULT_BLOCK + " and stop once the evidence can no longer "
            + "become significant (a chance of at most 1e-3 of a different evidence than with all N); the scores then cover the probes seen.")
    boolean sequential;

    @Override
    public Integer call() throws Exception {
        try (CheckpointScorer scorer = new CheckpointScorer(audit.device.parse(), data.probes(),
                io.memaudit.common.score.MemorisationRule.DEFAULT, CheckpointScorer.DEFAULT_CHUNK,
                sequential ? io.memaudit.common.score.SequentialStop.DEFAULT : null)) {
            if (target.checkpoint != null) {
                return scoreOne(scorer);
            }
            if (target.model != null) {
                return scoreModel(scorer);
            }
            RunScoring.Summary s = new RunScoring(scorer, audit, json).scoreRun(target.run, out == null ? target.run : out);
            if (!json) {
                System.out.println("wrote " + s.csv() + " and " + s.png());
            }
            return 0;
        }
    }

    private int scoreOne(CheckpointScorer scorer) throws IOException {
        requireMetadataOrNameTheModelFile(target.checkpoint);
        CheckpointMetadata meta = CheckpointStore.readMetadata(target.checkpoint);
        AuditRequest request = audit.request(meta.feature() == null ? null : meta.feature().spec());
        return print(scorer, target.checkpoint, Checkpoint.of(target.checkpoint, meta), request);
    }

    /**
     * A checkpoint of the Python hook (or any user's export) holds a model file but no metadata.json: its
     * description travels in the checkpoint event. Say how to score it from the command line instead
     * of only that the metadata is missing.
     */
    private static void requireMetadataOrNameTheModelFile(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || Files.exists(dir.resolve(CheckpointMetadata.FILE_NAME))) {
            return;
        }
        try (var files = Files.list(dir)) {
            Path onnx = files.filter(f -> f.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx"))
                    .sorted().findFirst().orElse(null);
            if (onnx != null) {
                throw new IllegalArgumentException("--checkpoint " + dir + ": no " + CheckpointMetadata.FILE_NAME
                        + " (a checkpoint of memaudit's trainer has one); to score the model file " + onnx
                        + ", use --model " + onnx + " with --input-shape, --classes, --mean, --std and --uf");
            }
        }
    }

    private int scoreModel(CheckpointScorer scorer) throws IOException {
        Path file = target.model;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--model " + file + ": no such file");
        }
        ModelSpec spec = modelOptions.spec(file, format);
        Checkpoint ckpt = new Checkpoint(modelOptions.runId(file), modelOptions.epoch, modelOptions.step, file,
                Hashing.sha256(file), spec, null);
        return print(scorer, file, ckpt, audit.request(null));
    }

    private int print(CheckpointScorer scorer, Path where, Checkpoint ckpt, AuditRequest request) {
        AuditResult r = scorer.score(ckpt, request);
        if (json) {
            System.out.println(Json.GSON.toJson(ScoreEvents.of(r, r.featureId(), null, scorer.engineDescription(), "cli")));
        } else {
            System.out.print(ScoreTable.single(where, ckpt, r));
        }
        return 0;
    }
}
