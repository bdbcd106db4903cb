package io.memaudit.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.feature.ControlFeatures;
import io.memaudit.common.feature.FeatureSpec;
import io.memaudit.common.feature.RandomPatches;
import io.memaudit.common.feature.UniqueFeature;
import io.memaudit.common.model.Architecture;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.scoring.AuditRequest;
import io.memaudit.common.scoring.AuditResult;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.common.scoring.ProbeInputs;
import io.memaudit.common.util.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
                "(parameter load + forward passes + reductions + score math), medians after warm-up."})
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
    @Option(names = "--chunk", defaultValue = "2000", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int chunk;
    @Option(names = "--device", paramLabel = "auto|cpu|gpu:N", defaultValue = "auto", description = "auto, cpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;
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
    @Option(names = "--json", description = "Print the --format onnx results as one JSON object.")
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
        Device dev = Devices.parse(device);
        System.out.printf(Locale.ROOT, "engine %s, %d CPU cores, OMP_NUM_THREADS=%s, N=%d, K=%d, %d warm-up + %d measured%n",
                Devices.describe(dev), Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"),
                n, controls, warmup, repeats);
        System.out.printf(Locale.ROOT, "%-5s %8s %14s %14s %7s %12s %12s %12s%n", "model", "images", "forward_ms",
                "scoring_ms", "ratio", "load_ms", "probes_ms", "images/s");
        Path tmp = Files.createTempDirectory("memaudit-bench");
        try {
            for (String m : models) {
                measure(m, dev, tmp);
            }
        } finally {
            try (var walk = Files.walk(tmp)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private void measure(String model, Device dev, Path tmp) throws Exception {
        Architecture arch = Architecture.of(model, io.memaudit.common.model.Variant.PLAIN);
        int[] shape = arch.isCnn() ? new int[] {3, 32, 32} : new int[] {1, 28, 28};
        Normalisation norm = arch.isCnn() ? Normalisation.CIFAR10 : Normalisation.MNIST;
        String probeSet = arch.isCnn() ? "mnist-rgb-32" : "cifar10-gray-28";
        Path ckpt = tmp.resolve(model + "/ckpt-0001");
        Files.createDirectories(ckpt.getParent());
        CheckpointMetadata meta = writeCheckpoint(arch, shape, norm, ckpt);
        io.memaudit.common.scoring.ProbeProvider probes = data.probes();
        AuditRequest req = new AuditRequest("glyph:A", probeSet, n, 1, RandomPatches.DEFAULT_SEED, null, null).withControls(controls);
        try (CheckpointScorer scorer = new CheckpointScorer(dev, probes, io.memaudit.common.score.MemorisationRule.DEFAULT, chunk)) {
            double probeMillis = scorer.score(ckpt, meta, req).probeMillis();
            double[] full = new double[repeats];
            double[] load = new double[repeats];
            for (int i = -warmup; i < repeats; i++) {
                AuditResult r = scorer.score(ckpt, meta, req);
                if (i >= 0) {
                    full[i] = r.totalMillis();
                    load[i] = r.loadMillis();
                }
            }
            double forward = bareForward(arch, shape, norm, probes.probes(probeSet, n, 1, shape), dev);
            int images = (3 + controls) * n;
            double fullMed = median(full);
            System.out.printf(Locale.ROOT, "%-5s %8d %14.1f %14.1f %7.2f %12.1f %12.1f %12.0f%n", model, images, forward,
                    fullMed, fullMed / forward, median(load), probeMillis, images / (fullMed / 1000));
        }
    }

    static CheckpointMetadata writeCheckpoint(Architecture arch, int[] shape, Normalisation norm, Path dir) throws Exception {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = arch.newBlock(10);
            block.initialize(m, DataType.FLOAT32, new Shape(1, shape[0], shape[1], shape[2]));
            CheckpointMetadata meta = new CheckpointMetadata(CheckpointMetadata.FORMAT, "bench-" + arch.wireName(),
                    arch.isCnn() ? "cifar10" : "mnist", arch.wireName(), "plain", shape, 10,
                    CheckpointMetadata.NormalisationJson.of(norm), new CheckpointMetadata.FeatureRef("glyph:A@1,1", "glyph:A", 0),
                    List.of(), List.of(), 1, 1, 1, null, null, null, Instant.now().toString());
            return CheckpointStore.write(dir, block, meta);
        }
    }

    /** Median time of the forward passes alone over the (3+K) batches of one audit, synchronised per batch. */
    private double bareForward(Architecture arch, int[] shape, Normalisation norm, ImageSet images, Device dev) {
        try (NDManager m = NDManager.newBaseManager(dev)) {
            Block block = arch.newBlock(10);
            block.initialize(m, DataType.FLOAT32, new Shape(1, shape[0], shape[1], shape[2]));
            UniqueFeature uf = FeatureSpec.parse("glyph:A").resolve(shape[1], shape[2]);
            List<UniqueFeature> feats = new ArrayList<>(List.of(uf));
            feats.addAll(ControlFeatures.controlsFor(uf, null, controls));
            try (ProbeInputs in = ProbeInputs.build(images, feats, norm, RandomPatches.DEFAULT_SEED, m)) {
                double[] times = new double[repeats];
                for (int i = -warmup; i < repeats; i++) {
                    long t0 = System.nanoTime();
                    try (NDManager scope = m.newSubManager()) {
                        in.attachTemporarily(scope);
                        ParameterStore ps = new ParameterStore(scope, false);
                        forward(block, ps, in.clean());
                        forward(block, ps, in.random());
                        for (int k = 0; k < in.featureCount(); k++) {
                            forward(block, ps, in.feature(k));
                        }
                    }
                    if (i >= 0) {
                        times[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                return median(times);
            }
        }
    }

    private void forward(Block block, ParameterStore ps, ai.djl.ndarray.NDArray x) {
        long rows = x.getShape().get(0);
        for (long from = 0; from < rows; from += chunk) {
            long to = Math.min(from + chunk, rows);
            try (NDManager scope = x.getManager().newSubManager()) {
                ai.djl.ndarray.NDArray part = from == 0 && to == rows ? x
                        : x.get(new ai.djl.ndarray.index.NDIndex("{}:{}", from, to));
                part.tempAttach(scope);
                block.forward(ps, new NDList(part), false).singletonOrThrow().sum().getFloat();
            }
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
