package io.memaudit.cli;

import ai.djl.Device;
import io.memaudit.common.feature.ControlFeatures;
import io.memaudit.common.feature.RandomPatches;
import io.memaudit.common.model.Architecture;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.scoring.AuditRequest;
import io.memaudit.common.scoring.AuditResult;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.common.util.Devices;
import io.memaudit.cli.bench.BareForward;
import io.memaudit.cli.bench.BenchCheckpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "score", mixinStandardHelpOptions = true,
        header = "Per-checkpoint scoring cost of the MLP and the CNN.",
        description = {"Per-checkpoint scoring cost for the MLP and the CNN: the bare forward passes of the (3+K)*N images",
                "one audit needs (clean, random patch, feature, K controls) against the full scoring of a checkpoint",
                "(parameter load + forward passes + reductions + score math), medians after warm-up. Full audits and bare",
                "runs alternate; the overhead is the median of each pair's difference."})
final class ScoreBenchmark implements Callable<Integer> {
    @Option(names = "--models", split = ",", defaultValue = "mlp,cnn", description = "Models to measure (default: ${DEFAULT-VALUE}).")
    List<String> models;
    @Option(names = "--n", defaultValue = "2000", description = "Probe images N (default: ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--controls", paramLabel = "K", defaultValue = "" + ControlFeatures.K,
            description = "Control features per audit: (3+K)*N images (default: ${DEFAULT-VALUE}).")
    int controls;
    @Option(names = "--repeats", defaultValue = "5", description = "Measured repetitions (default: ${DEFAULT-VALUE}).")
    int repeats;
    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up repetitions (default: ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--chunk", defaultValue = "2000", description = "Most images per forward pass; the built-in CNN runs fewer on the CPU (default: ${DEFAULT-VALUE}).")
    int chunk;
    @Mixin
    DeviceOption device;
    @Mixin
    DataOptions data;
    @Option(names = "--format", defaultValue = "djl",
            description = "djl: the built-in MLP and CNN on MXNet; onnx: the MLP exported to ONNX against the DJL path on the same weights, "
                    + "the GEMM rates, and --onnx-model against its floor (default: ${DEFAULT-VALUE}).")
    String format;
    @Option(names = "--onnx-model", paramLabel = "FILE", description = "With --format onnx: also time the audit of this model (describe it with --input-shape, --classes, --mean, --std).")
    Path onnxModel;
    @Mixin
    ModelOptions model;
    @Option(names = "--flops-per-image", paramLabel = "F", description = "With --onnx-model: its forward FLOPs per image, for the floor (docs/perf/flops.py counts them).")
    Double flopsPerImage;
    @Option(names = "--probes", paramLabel = "SET", defaultValue = "mnist-rgb-32", description = "With --onnx-model: the probe set (default: ${DEFAULT-VALUE}).")
    String probeSet;
    @Option(names = "--json", description = "Print the results as one JSON object (per model: fullMs, bareMs, overheadMs, overheadRangeMs, "
            + "floorMs, ratioToFloor, gflop, imagesPerPass, overheadRangeMs, overheadQuartilesMs, loadMs, reductionsMs, scoreMathMs, probeBuildMs, sequentialMs, sequentialProbes) instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (format.equals("onnx")) {
            Path tmp = Files.createTempDirectory("memaudit-bench");
            try {
                Map<String, Object> result = new OnnxScoreBenchmark(this).run(tmp);
                if (json) {
                    System.out.println(io.memaudit.common.util.Json.GSON.toJson(result));
                }
            } finally {
                io.memaudit.common.util.FileTrees.deleteRecursively(tmp);
            }
            return 0;
        }
        if (!format.equals("djl")) {
            throw new IllegalArgumentException("--format '" + format + "' is not djl or onnx");
        }
        Device dev = device.parse();
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("engine", Devices.describe(dev));
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("ompNumThreads", System.getenv("OMP_NUM_THREADS"));
        result.put("n", n);
        result.put("controls", controls);
        double gemm = io.memaudit.cli.bench.EngineRates.gemmGflops(dev, 10);
        result.put("gemmGflops", gemm);
        if (!json) {
            System.out.printf(Locale.ROOT, "engine %s, %d CPU cores, OMP_NUM_THREADS=%s, N=%d, K=%d, %d warm-up + %d measured; "
                    + "best float32 GEMM %.1f GFLOP/s (%d², same engine, this run)%n", Devices.describe(dev),
                    Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"), n, controls, warmup, repeats,
                    gemm, io.memaudit.cli.bench.EngineRates.GEMM);
            System.out.printf(Locale.ROOT, "%-5s %8s %8s %10s %10s %9s %9s %9s %7s %8s %9s %9s %7s%n", "model", "images", "GFLOP",
                    "bare_ms", "full_ms", "overhead", "floor_ms", "full/flr", "load", "probes", "images/s", "seq_ms", "seq_n");
        }
        Map<String, Object> perModel = new java.util.LinkedHashMap<>();
        Path tmp = Files.createTempDirectory("memaudit-bench");
        try {
            for (String m : models) {
                perModel.put(m, measure(m, dev, tmp, gemm));
            }
        } finally {
            io.memaudit.common.util.FileTrees.deleteRecursively(tmp);
        }
        result.put("models", perModel);
        if (json) {
            System.out.println(io.memaudit.common.util.Json.GSON.toJson(result));
        }
        return 0;
    }

    /** One model's audit: full and bare times, their difference, the floor from its FLOPs and the engine's rates. */
    private Map<String, Object> measure(String model, Device dev, Path tmp, double gemmGflops) throws Exception {
        Architecture arch = Architecture.of(model, io.memaudit.common.model.Variant.PLAIN);
        int[] shape = BenchCheckpoints.inputShape(arch);
        Normalisation norm = BenchCheckpoints.normalisation(arch);
        String probeSet = BenchCheckpoints.probeSet(arch);
        Path ckpt = tmp.resolve(model + "/ckpt-0001");
        Files.createDirectories(ckpt.getParent());
        CheckpointMetadata meta = BenchCheckpoints.write(arch, ckpt);
        io.memaudit.common.scoring.ProbeProvider probes = data.probes();
        AuditRequest req = new AuditRequest("glyph:A", probeSet, n, 1, RandomPatches.DEFAULT_SEED, null, null).withControls(controls);
        int images = (3 + controls) * n;
        Map<String, Object> r = new java.util.LinkedHashMap<>();
        try (CheckpointScorer scorer = new CheckpointScorer(dev, probes, io.memaudit.common.score.MemorisationRule.DEFAULT, chunk);
             BareForward bareRun = new BareForward(arch, shape, norm, probes.probes(probeSet, n, 1, shape), controls, chunk, dev)) {
            double probeMillis = scorer.score(ckpt, meta, req).probeMillis();
            double[] full = new double[repeats];
            double[] bare = new double[repeats];
            double[] overhead = new double[repeats];
            double[] load = new double[repeats];
            double[] reductions = new double[repeats];
            double[] rest = new double[repeats];
            // full audit and bare forward passes alternate: each pair is taken moments apart, so their
            // difference is the overhead, not the drift of the machine's speed between two phases
            for (int i = -warmup; i < repeats; i++) {
                AuditResult a = scorer.score(ckpt, meta, req);
                double b = bareRun.runMillis();
                if (i >= 0) {
                    full[i] = a.totalMillis();
                    load[i] = a.loadMillis();
                    bare[i] = b;
                    overhead[i] = a.totalMillis() - b;
                    // the overhead split: what the forward-and-reductions phase took beyond the bare passes, and
                    // what the audit took outside that phase and the reload (probe lookup, score math, verdict)
                    reductions[i] = a.forwardMillis() - b;
                    rest[i] = a.totalMillis() - a.loadMillis() - a.forwardMillis();
                }
            }
            // the same audit stopping early (memaudit.audit.sequential): an untrained model is a clean checkpoint
            double[] sequential = new double[repeats];
            int sequentialProbes = 0;
            for (int i = -Math.min(warmup, 1); i < repeats; i++) {
                AuditResult a = scorer.score(ckpt, meta, req, io.memaudit.common.score.SequentialStop.DEFAULT);
                if (i >= 0) {
                    sequential[i] = a.totalMillis();
                    sequentialProbes = a.controlProbes();
                }
            }
            io.memaudit.cli.bench.Floor floor = io.memaudit.cli.bench.Floor.measure(arch, shape, dev, gemmGflops);
            double fullMed = median(full);
            double bareMed = median(bare);
            double floorMs = floor.millis(images);
            r.put("images", images);
            r.put("imagesPerPass", arch.passSize(dev).within(chunk));
            r.put("gflop", floor.flopsPerImage() * images / 1e9);
            r.put("fullMs", fullMed);
            r.put("bareMs", bareMed);
            r.put("overheadMs", median(overhead));
            r.put("overheadRangeMs", new double[] {Arrays.stream(overhead).min().orElse(0), Arrays.stream(overhead).max().orElse(0)});
            // how well the pairs resolve the overhead: half of them lie within these
            r.put("overheadQuartilesMs", new double[] {quantile(overhead, 0.25), quantile(overhead, 0.75)});
            r.put("floorMs", floorMs);
            r.put("ratioToFloor", fullMed / floorMs);
            r.put("bareToFloor", bareMed / floorMs);
            r.put("loadMs", median(load));
            r.put("reductionsMs", median(reductions));
            r.put("scoreMathMs", median(rest));
            r.put("probeBuildMs", probeMillis);
            r.put("imagesPerSecond", images / (fullMed / 1000));
            r.put("sequentialMs", median(sequential));
            r.put("sequentialProbes", sequentialProbes);
            if (floor.convGflops() != null) {
                r.put("convGflops", floor.convGflops());
            }
            if (!json) {
                System.out.printf(Locale.ROOT, "%-5s %8d %8.1f %10.1f %10.1f %9.1f %9.1f %9.2f %7.1f %8.1f %9.0f %9.1f %7d%n", model,
                        images, floor.flopsPerImage() * images / 1e9, bareMed, fullMed, median(overhead), floorMs, fullMed / floorMs,
                        median(load), probeMillis, images / (fullMed / 1000), median(sequential), sequentialProbes);
            }
        }
        return r;
    }

    /** The q-quantile, linear between order statistics (q = 0.5 is the median). */
    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        if (s.length == 0) {
            return Double.NaN;
        }
        double at = q * (s.length - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (at - lo) * (s[hi] - s[lo]);
    }

    static double median(double[] v) {
        return quantile(v, 0.5);
    }
}
