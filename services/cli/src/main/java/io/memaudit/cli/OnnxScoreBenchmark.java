package io.memaudit.cli;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.memaudit.cli.bench.OnnxWriter;
import io.memaudit.common.feature.RandomPatches;
import io.memaudit.common.model.Architecture;
import io.memaudit.common.model.Checkpoint;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.InputLayout;
import io.memaudit.common.model.ModelSpec;
import io.memaudit.common.model.OutputKind;
import io.memaudit.common.scoring.AuditRequest;
import io.memaudit.common.scoring.AuditResult;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.common.scoring.ProbeProvider;
import io.memaudit.common.score.MemorisationRule;
import io.memaudit.common.score.SequentialStop;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench score --format onnx}: memaudit's MLP exported to ONNX (same weights) against the DJL/MXNet
 * path — scores and time — and, with {@code --onnx-model}, a user model's audit time against its floor:
 * its FLOPs over ONNX Runtime's float32 matrix-multiply rate, measured in the same run.
 */
final class OnnxScoreBenchmark {
    /** Side of the square matrices of the GEMM-rate measurement. */
    private static final int GEMM = 2048;

    private final ScoreBenchmark opts;

    OnnxScoreBenchmark(ScoreBenchmark opts) {
        this.opts = opts;
    }

    Map<String, Object> run(Path tmp) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        double ortGflops = ortGemmGflops();
        double mxGflops = mxnetGemmGflops();
        out.put("gemmGflopsOnnxRuntime", ortGflops);
        out.put("gemmGflopsMxnet", mxGflops);
        text().printf(Locale.ROOT, "best float32 GEMM: ONNX Runtime %.1f GFLOP/s (MatMul 1024-4096), MXNet %.1f GFLOP/s (%d)%n",
                ortGflops, mxGflops, GEMM);
        out.put("mlp", mlp(tmp, ortGflops));
        if (opts.onnxModel != null) {
            out.put("model", userModel(ortGflops));
        }
        return out;
    }

    /** The MLP through both formats on the same weights and probes. */
    private Map<String, Object> mlp(Path tmp, double gflops) throws Exception {
        int[] shape = io.memaudit.cli.bench.BenchCheckpoints.inputShape(Architecture.MLP);
        Path dir = tmp.resolve("mlp/ckpt-0001");
        Files.createDirectories(dir.getParent());
        CheckpointMetadata meta = io.memaudit.cli.bench.BenchCheckpoints.write(Architecture.MLP, dir);
        Path onnx = tmp.resolve("mlp.onnx");
        Files.write(onnx, mlpOnnx(dir, meta));
        Checkpoint djl = Checkpoint.of(dir, meta);
        ModelSpec spec = new ModelSpec("onnx", "mlp", shape, 10, meta.normalisationValue(), InputLayout.NCHW, OutputKind.LOGITS);
        Checkpoint ort = new Checkpoint("bench-mlp-onnx", 1, 1, onnx, null, spec, null);
        AuditRequest req = new AuditRequest("glyph:A", io.memaudit.cli.bench.BenchCheckpoints.probeSet(Architecture.MLP), opts.n, 1, RandomPatches.DEFAULT_SEED, null, 0)
                .withControls(opts.controls);
        ProbeProvider probes = opts.data.probes();
        double[] tDjl = new double[opts.repeats];
        double[] tOrt = new double[opts.repeats];
        AuditResult rDjl = null;
        AuditResult rOrt = null;
        try (CheckpointScorer scorer = new CheckpointScorer(Device.cpu(), probes, MemorisationRule.DEFAULT, opts.chunk)) {
            for (int i = -opts.warmup; i < opts.repeats; i++) { // alternate, so both see the same machine state
                rDjl = scorer.score(djl, req);
                rOrt = scorer.score(ort, req);
                if (i >= 0) {
                    tDjl[i] = rDjl.totalMillis();
                    tOrt[i] = rOrt.totalMillis();
                }
            }
        }
        double flop = 2.0 * (784 * 512 + 512 * 256 + 256 * 10) * images();
        double relKl = Math.abs(rOrt.scores().mKl() - rDjl.scores().mKl()) / Math.max(1e-12, Math.abs(rDjl.scores().mKl()));
        double relLabel = Math.abs(rOrt.scores().mLabel() - rDjl.scores().mLabel()) / Math.max(1e-12, Math.abs(rDjl.scores().mLabel()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mKlDjl", rDjl.scores().mKl());
        m.put("mKlOnnx", rOrt.scores().mKl());
        m.put("mKlRelativeDifference", relKl);
        m.put("mLabelRelativeDifference", relLabel);
        m.put("fullMsDjl", ScoreBenchmark.median(tDjl));
        m.put("fullMsOnnx", ScoreBenchmark.median(tOrt));
        m.put("onnxOverDjl", ScoreBenchmark.median(tOrt) / ScoreBenchmark.median(tDjl));
        m.put("gflop", flop / 1e9);
        m.put("floorMsOnnxRuntime", flop / 1e9 / gflops * 1000);
        text().printf(Locale.ROOT, "mlp  djl %.1f ms, onnx %.1f ms (onnx/djl %.2f); M_KL %.6g vs %.6g (rel. diff %.1e),"
                        + " M_label rel. diff %.1e; %.1f GFLOP, floor at ONNX Runtime's GEMM rate %.1f ms%n",
                m.get("fullMsDjl"), m.get("fullMsOnnx"), m.get("onnxOverDjl"), rDjl.scores().mKl(), rOrt.scores().mKl(), relKl,
                relLabel, flop / 1e9, m.get("floorMsOnnxRuntime"));
        return m;
    }

    /** A user's ONNX model: audit time against FLOPs per image (given) over the measured GEMM rate. */
    private Map<String, Object> userModel(double gflops) throws Exception {
        Path file = opts.onnxModel;
        ModelSpec spec = opts.model.spec(file, "onnx");
        AuditRequest req = new AuditRequest("glyph:A", opts.probeSet, opts.n, 1, RandomPatches.DEFAULT_SEED, null, 0)
                .withControls(opts.controls);
        Checkpoint ckpt = new Checkpoint(file.getFileName().toString(), 0, 0, file, null, spec, null);
        double[] full = new double[opts.repeats];
        double[] forward = new double[opts.repeats];
        double[] sequential = new double[opts.repeats];
        int sequentialProbes = 0;
        try (CheckpointScorer scorer = new CheckpointScorer(Device.cpu(), opts.data.probes(), MemorisationRule.DEFAULT, opts.chunk)) {
            for (int i = -opts.warmup; i < opts.repeats; i++) {
                AuditResult r = scorer.score(ckpt, req);
                if (i >= 0) {
                    full[i] = r.totalMillis();
                    forward[i] = r.forwardMillis();
                }
            }
            // the worker's default audit of the same checkpoint, stopping the controls early when it can
            for (int i = -Math.min(opts.warmup, 1); i < opts.repeats; i++) {
                AuditResult r = scorer.score(ckpt, req, SequentialStop.DEFAULT);
                if (i >= 0) {
                    sequential[i] = r.totalMillis();
                    sequentialProbes = r.controlProbes();
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.getFileName().toString());
        m.put("images", images());
        m.put("fullMs", ScoreBenchmark.median(full));
        m.put("forwardMs", ScoreBenchmark.median(forward));
        m.put("sequentialMs", ScoreBenchmark.median(sequential));
        m.put("sequentialProbes", sequentialProbes);
        if (opts.flopsPerImage != null) {
            double flop = opts.flopsPerImage * images();
            m.put("gflop", flop / 1e9);
            m.put("floorMs", flop / 1e9 / gflops * 1000);
            m.put("ratioToFloor", ScoreBenchmark.median(full) / (flop / 1e9 / gflops * 1000));
        }
        text().printf(Locale.ROOT, "%s  %d images: full %.0f ms, forward+reductions %.0f ms, sequential %.0f ms"
                        + " (controls on %d probes)%s%n", m.get("file"), images(),
                m.get("fullMs"), m.get("forwardMs"), m.get("sequentialMs"), sequentialProbes, opts.flopsPerImage == null ? " (give --flops-per-image for the floor)"
                        : String.format(Locale.ROOT, "; %.1f GFLOP, floor %.0f ms, ratio %.2f", m.get("gflop"), m.get("floorMs"),
                        m.get("ratioToFloor")));
        return m;
    }

    /** The human-readable lines: on stderr with --json, so that stdout holds only the JSON object. */
    private java.io.PrintStream text() {
        return opts.json ? System.err : System.out;
    }

    private int images() {
        return (3 + opts.controls) * opts.n;
    }

    /** The DJL checkpoint's MLP as ONNX: Flatten, then Gemm (transB: DJL stores [out, in]) and Relu. */
    private static byte[] mlpOnnx(Path dir, CheckpointMetadata meta) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu()); Model model = CheckpointStore.load(dir, meta, m)) {
            List<NDArray> params = new ArrayList<>();
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                params.add(p.getValue().getArray());
            }
            OnnxWriter w = new OnnxWriter().input("input", -1, 1, 28, 28).output("output", -1, 10);
            w.node("Flatten", List.of("input"), "h0", "axis", 1);
            for (int layer = 0; layer < params.size() / 2; layer++) {
                NDArray weight = params.get(2 * layer);
                NDArray bias = params.get(2 * layer + 1);
                String wName = "w" + layer;
                String bName = "b" + layer;
                w.initialiser(wName, weight.toFloatArray(), weight.getShape().getShape());
                w.initialiser(bName, bias.toFloatArray(), bias.getShape().getShape());
                boolean last = layer == params.size() / 2 - 1;
                String gemm = last ? "output" : "g" + layer;
                w.node("Gemm", List.of("h" + layer, wName, bName), gemm, "transB", 1);
                if (!last) {
                    w.node("Relu", List.of(gemm), "h" + (layer + 1));
                }
            }
            return w.toBytes();
        }
    }

    /** Best float32 GEMM rate of ONNX Runtime over square MatMuls of 1024, 2048 and 4096, GFLOP/s. */
    private double ortGemmGflops() throws Exception {
        double best = 0;
        for (int n : new int[] {1024, GEMM, 2 * GEMM}) {
            best = Math.max(best, ortGemmGflops(n));
        }
        return best;
    }

    private static double ortGemmGflops(int GEMM) throws Exception {
        float[] b = new float[GEMM * GEMM];
        java.util.Arrays.fill(b, 0.001f);
        byte[] model = new OnnxWriter().input("a", GEMM, GEMM).output("c", GEMM, GEMM).initialiser("b", b, GEMM, GEMM)
                .node("MatMul", List.of("a", "b"), "c").toBytes();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
            try (OrtSession s = env.createSession(model, o);
                 OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(b), new long[] {GEMM, GEMM})) {
                double best = Double.MAX_VALUE;
                for (int i = 0; i < (GEMM > 2048 ? 4 : 10); i++) {
                    long t0 = System.nanoTime();
                    s.run(Map.of("a", a)).close();
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
                return 2.0 * GEMM * GEMM * GEMM / best / 1e9;
            }
        }
    }

    /** Best float32 GEMM rate of MXNet through DJL, GFLOP/s. */
    private double mxnetGemmGflops() {
        return io.memaudit.cli.bench.EngineRates.gemmGflops(Device.cpu(), 10);
    }
}
