package io.memaudit.cli;

import ai.djl.Device;
import io.memaudit.cli.bench.BenchCheckpoints;
import io.memaudit.cli.bench.EngineRates;
import io.memaudit.cli.bench.Floor;
import io.memaudit.common.feature.RandomPatches;
import io.memaudit.common.model.Architecture;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.Variant;
import io.memaudit.common.score.MemorisationRule;
import io.memaudit.common.score.SequentialStop;
import io.memaudit.common.scoring.AuditRequest;
import io.memaudit.common.scoring.AuditResult;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.common.util.FileTrees;
import io.memaudit.common.util.Json;
import io.memaudit.trainer.TrainConfig;
import io.memaudit.trainer.TrainJob;
import io.memaudit.trainer.TrainResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Does the audit keep pace with the training it watches? Trains the reference model, timing the
 * training between checkpoints, then audits each checkpoint as a worker with default settings would,
 * and reports the audit time as a fraction of that training time — next to the fraction the same
 * forward passes would take at the machine's floor, which says how much of a miss is the engine's.
 */
@Command(name = "keep-pace", mixinStandardHelpOptions = true,
        header = "Audit time as a fraction of the training time between checkpoints.",
        description = {"Trains the reference MLP (MNIST) or CNN (CIFAR-10) with one checkpoint per epoch, timing each epoch,",
                "then audits every checkpoint with the worker's defaults (N, K, sequential audits) one after the other,",
                "and reports audit ms / training ms per checkpoint, and the same for the audit's images at the machine's",
                "floor (the engine's GEMM and convolution rates, measured after training). Training and audits do not",
                "overlap here; on one machine they share its cores."})
final class KeepPaceBenchmark implements Callable<Integer> {
    @Option(names = "--models", split = ",", defaultValue = "mlp", description = "mlp and/or cnn (default: ${DEFAULT-VALUE}).")
    List<String> models;
    @Option(names = "--epochs", defaultValue = "3", description = "Epochs, one checkpoint each (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--train-limit", defaultValue = "0", description = "Train on the first N images only; 0 = all (default: ${DEFAULT-VALUE}).")
    int trainLimit;
    @Option(names = "--n", defaultValue = "" + AuditRequest.DEFAULT_PROBES, description = "Probe images N (default: ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--controls", paramLabel = "K", defaultValue = "" + io.memaudit.common.feature.ControlFeatures.K,
            description = "Control features K (default: ${DEFAULT-VALUE}).")
    int controls;
    @Option(names = "--sequential", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Audit sequentially, as the worker does by default (--no-sequential: every control sees all N).")
    boolean sequential;
    @Option(names = "--sequential-block", paramLabel = "PROBES", description = "Probes per look of the sequential audit "
            + "(memaudit.audit.sequential.block; default: ${DEFAULT-VALUE}).")
    int block = SequentialStop.DEFAULT.block();
    @Option(names = "--warmup", defaultValue = "0", description = "Audit the first checkpoint this many "
            + "times, untimed, before the timed audits: a long-running worker's steady state rather than a fresh process's "
            + "first audits, whose Java side is not compiled yet (default: ${DEFAULT-VALUE}).")
    int warmup;
    @Mixin
    DeviceOption device;
    @Option(names = "--json", description = "Print the results as one JSON object instead of the table.")
    boolean json;
    @Mixin
    DataOptions data;

    /**
     * The benchmark at the worker's defaults for {@code models}, as {@code bench pipeline --keep-pace} runs
     * it; {@code quiet}: no progress or table lines (the caller prints JSON).
     */
    static KeepPaceBenchmark atDefaults(List<String> models, int epochs, DeviceOption device, DataOptions data, boolean quiet) {
        KeepPaceBenchmark b = new KeepPaceBenchmark();
        b.models = List.copyOf(models);
        b.epochs = epochs;
        b.n = AuditRequest.DEFAULT_PROBES;
        b.controls = io.memaudit.common.feature.ControlFeatures.K;
        b.sequential = true;
        b.device = device;
        b.data = data;
        b.json = quiet;
        return b;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> result = measureAll();
        if (json) {
            System.out.println(Json.GSON.toJson(result));
        }
        return 0;
    }

    /** Every model's rows and medians, with the settings they ran at: what --json prints. */
    Map<String, Object> measureAll() throws Exception {
        models.forEach(m -> datasetFor(m, "--models")); // before any training: a typo fails now, not after the first model
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("n", n);
        result.put("controls", controls);
        result.put("sequential", sequential);
        if (sequential) {
            result.put("sequentialBlock", stop().block());
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup: " + warmup + " is not a number of audits (0 or more)");
        }
        result.put("warmupAudits", warmup);
        Map<String, Object> perModel = new LinkedHashMap<>();
        Path tmp = Files.createTempDirectory("memaudit-keep-pace");
        try {
            for (String model : models) {
                perModel.put(model, measure(model, tmp.resolve(model)));
            }
        } finally {
            FileTrees.deleteRecursively(tmp);
        }
        result.put("models", perModel);
        return result;
    }

    private SequentialStop stop() {
        try {
            return new SequentialStop(block, SequentialStop.DEFAULT.flipProbability());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--sequential-block: " + e.getMessage(), e);
        }
    }

    /** The worker's default audit of a reference checkpoint, at this benchmark's N and K. */
    private AuditRequest request(CheckpointMetadata meta) {
        return new AuditRequest(meta.feature().spec(), null, n, AuditRequest.DEFAULT_PROBE_SEED, RandomPatches.DEFAULT_SEED,
                null, null).withControls(controls);
    }

    /** The reference model's data set: MNIST for the MLP, CIFAR-10 for the CNN; anything else names {@code option}. */
    static String datasetFor(String model, String option) {
        return switch (model) {
            case "mlp" -> "mnist";
            case "cnn" -> "cifar10";
            default -> throw new IllegalArgumentException(option + ": '" + model + "' is not mlp or cnn");
        };
    }

    private Map<String, Object> measure(String model, Path dir) throws Exception {
        String dataset = datasetFor(model, "--models");
        DatasetsCommand.ensure(data.directory(), dataset);
        TrainConfig defaults = TrainConfig.defaults(dataset, model, dir);
        // patience = epochs: early stopping never cuts the run short, so every requested epoch is timed
        TrainConfig config = new TrainConfig(dataset, model, defaults.variant(), defaults.featureSpec(), defaults.canaries(),
                defaults.seed(), epochs, defaults.batchSize(), defaults.learningRate(), epochs, defaults.l2(), trainLimit, dir,
                null, device.spec);
        List<Long> at = new ArrayList<>();
        long start = System.nanoTime();
        if (!json) {
            System.err.printf(Locale.ROOT, "keep-pace: training %s on %s, %d epoch(s) ...%n", model, dataset, epochs);
        }
        TrainResult trained = TrainJob.run(config, data.directory(), new PrintStream(OutputStream.nullOutputStream()),
                (ckpt, meta) -> at.add(System.nanoTime()));
        // the machine's floor for this network, measured after training so that it does not slow the epochs
        Device dev = device.parse();
        Architecture arch = Architecture.of(model, Variant.PLAIN);
        double gemm = EngineRates.gemmGflops(dev, 10);
        Floor floor = Floor.measure(arch, BenchCheckpoints.inputShape(arch), dev, gemm);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (CheckpointScorer scorer = new CheckpointScorer(dev, data.probes(), MemorisationRule.DEFAULT,
                CheckpointScorer.DEFAULT_CHUNK, sequential ? stop() : null)) {
            if (warmup > 0 && !trained.checkpoints().isEmpty()) {
                // a worker runs for as long as the training: after its first few dozen audits the JIT has compiled
                // the audit's Java side, and those audits, not a fresh process's first, are what keep pace
                Path first = trained.checkpoints().get(0);
                CheckpointMetadata meta = CheckpointStore.readMetadata(first);
                for (int w = 0; w < warmup; w++) {
                    scorer.score(first, meta, request(meta));
                }
            }
            for (int i = 0; i < trained.checkpoints().size(); i++) {
                Path ckpt = trained.checkpoints().get(i);
                CheckpointMetadata meta = CheckpointStore.readMetadata(ckpt);
                AuditResult a = scorer.score(ckpt, meta, request(meta));
                double trainMs = ((i == 0 ? at.get(0) - start : at.get(i) - at.get(i - 1))) / 1e6;
                double auditMs = a.totalMillis() - a.probeMillis();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", meta.epoch());
                row.put("trainMs", trainMs);
                row.put("auditMs", auditMs);
                row.put("fraction", auditMs / trainMs);
                // clean, random patch and feature on all N; the controls on the probes they were scored on
                long images = 3L * n + (long) controls * a.controlProbes();
                double floorMs = floor.millis(images);
                row.put("images", images);
                row.put("floorMs", floorMs);
                row.put("floorFraction", floorMs / trainMs);
                row.put("controlProbes", a.controlProbes());
                row.put("probeBuildMs", a.probeMillis());
                row.put("verdict", a.verdict().wire());
                rows.add(row);
                if (!json) {
                    System.out.printf(Locale.ROOT, "%-4s epoch %2d  training %8.0f ms  audit %8.0f ms  = %5.1f %%  (controls on %d probes;"
                                    + " at the floor %.0f ms = %.1f %%)%n", model, meta.epoch(), trainMs, auditMs, 100 * auditMs / trainMs,
                            a.controlProbes(), floorMs, 100 * floorMs / trainMs);
                }
            }
        }
        double[] fractions = rows.stream().mapToDouble(r -> (double) r.get("fraction")).toArray();
        double[] floorFractions = rows.stream().mapToDouble(r -> (double) r.get("floorFraction")).toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", dataset);
        out.put("trainLimit", trainLimit);
        out.put("gemmGflops", gemm);
        if (floor.convGflops() != null) {
            out.put("convGflops", floor.convGflops());
        }
        out.put("checkpoints", rows);
        out.put("medianFraction", fractions.length == 0 ? Double.NaN : ScoreBenchmark.median(fractions));
        out.put("medianFloorFraction", floorFractions.length == 0 ? Double.NaN : ScoreBenchmark.median(floorFractions));
        return out;
    }
}
