package io.memaudit.common.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.events.AuditException;
import io.memaudit.common.model.OutputKind;
import io.memaudit.common.model.format.AuditableModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The batched forward passes of one audit and the per-image reductions computed on the device:
 * KL(p_i‖q_i), log q_i[y] and mean_i (q_i − p_i). Only these vectors are copied back to the host.
 * Probabilities are clipped to [1e-7, 1] before logs, as the method specifies (docs/METHOD.md, "KL divergence").
 */
public final class OutputReductions {
    static final float CLIP = 1e-7f;

    /** Per-variant reductions: index 0 is the random-patch control, 1.. the features in ProbeInputs order. */
    public record Variant(double[] kl, double[] logProbLabel, double[] meanDeltaProb) { }

    public record Result(Variant random, List<Variant> features, long forwardNanos) { }

    private final int chunk;

    /** @param chunk maximum images per forward pass (bounds activation memory for CNNs) */
    public OutputReductions(int chunk) {
        this.chunk = chunk;
    }

    public Result compute(AuditableModel model, OutputKind output, ProbeInputs in, Integer label) {
        try (NDManager m = in.clean().getManager().newSubManager()) {
            in.attachTemporarily(m); // every output of this audit is freed when m closes
            long t0 = System.nanoTime();
            NDArray rawP = probabilities(model, output, in.clean());
            checkDistributions(rawP, output);
            NDArray p = rawP.clip(CLIP, 1f);
            NDArray logP = p.log();
            List<NDArray> variants = new ArrayList<>(List.of(in.random()));
            for (int k = 0; k < in.featureCount(); k++) {
                variants.add(in.feature(k));
            }
            int group = groupSize(rawP.getShape().get(0), rawP.getShape().get(1));
            List<Variant> all = new ArrayList<>();
            for (int from = 0; from < variants.size(); from += group) {
                all.addAll(reduceGroup(m, rawP, p, logP, model, output, variants.subList(from, Math.min(from + group, variants.size())), label));
            }
            return new Result(all.get(0), List.copyOf(all.subList(1, all.size())), System.nanoTime() - t0);
        }
    }

    /** Most variants reduced together: their outputs stacked take at most this many floats (64 MiB). */
    static final long GROUP_FLOATS = 16L << 20;
    /** And at most this many variants. */
    static final int GROUP_MAX = 32;

    /**
     * How many variants to reduce in one round of engine operations. Each round costs about ten
     * small operations and three copies to the host whatever its size, and with K = 199 an audit has
     * 201 variants: reduced one by one, those rounds were most of the audit's fixed overhead.
     */
    static int groupSize(long images, long classes) {
        return (int) Math.max(1, Math.min(GROUP_MAX, GROUP_FLOATS / Math.max(1, images * classes)));
    }

    /**
     * A model declared to output probabilities (or their logs) must give rows that sum to 1: a model
     * that outputs logits but is declared otherwise would be scored as nonsense without a word.
     */
    private static void checkDistributions(NDArray rawP, OutputKind output) {
        if (output == OutputKind.LOGITS) {
            return;
        }
        float[] sums = rawP.sum(new int[] {1}).toFloatArray();
        for (int i = 0; i < sums.length; i++) {
            if (!(Math.abs(sums[i] - 1f) <= 1e-3f)) {
                throw new AuditException(Float.isFinite(sums[i]) ? ErrorKind.SHAPE_MISMATCH : ErrorKind.NON_FINITE_OUTPUT,
                        "model.output is " + output.wire() + " but the model's output for probe image " + i
                        + " gives probabilities summing to " + sums[i] + " (declare model.output logits if it outputs logits)");
            }
        }
    }

    /**
     * Softmax outputs of a whole batch, in chunks of at most {@link #chunk} images. Each chunk's
     * activations live in their own scope and are freed as soon as its probabilities are out; the
     * result is attached to {@code x}'s manager.
     */
    public NDArray probabilities(AuditableModel model, OutputKind output, NDArray x) {
        NDManager owner = x.getManager();
        long n = x.getShape().get(0);
        NDList parts = new NDList();
        for (long from = 0; from < n; from += chunk) {
            long to = Math.min(from + chunk, n);
            try (NDManager scope = owner.newSubManager()) {
                NDArray part = from == 0 && to == n ? x : x.get(new NDIndex("{}:{}", from, to));
                part.tempAttach(scope);
                NDArray probs = output.toProbabilities(model.forward(part));
                probs.attach(owner);
                parts.add(probs);
            }
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    }

    /**
     * Forward passes of several variants and their reductions in one round: the outputs stacked to
     * (G, N, C) against the clean outputs (N, C), broadcast; three copies to the host for the group.
     * Everything but the copied-out vectors is freed.
     */
    private List<Variant> reduceGroup(NDManager m, NDArray rawP, NDArray p, NDArray logP, AuditableModel model,
                                      OutputKind output, List<NDArray> xs, Integer label) {
        try (NDManager scope = m.newSubManager()) {
            NDList outputs = new NDList();
            for (NDArray x : xs) {
                x.tempAttach(scope);
                outputs.add(probabilities(model, output, x));
            }
            NDArray rawQ = outputs.size() == 1 ? outputs.get(0).expandDims(0) : NDArrays.stack(outputs, 0);
            NDArray q = rawQ.clip(CLIP, 1f);
            NDArray logQ = q.log();
            int g = xs.size();
            int n = (int) rawP.getShape().get(0);
            int c = (int) rawP.getShape().get(1);
            double[] kl = toDoubles(p.mul(logP.sub(logQ)).sum(new int[] {2}));
            double[] logQy = label == null ? null : toDoubles(logQ.get(new NDIndex(":, :, {}", label)));
            double[] delta = toDoubles(rawQ.sub(rawP).mean(new int[] {1}));
            requireFinite(kl, "KL divergence");
            requireFinite(delta, "mean change of a class probability");
            List<Variant> out = new ArrayList<>(g);
            for (int v = 0; v < g; v++) {
                out.add(new Variant(java.util.Arrays.copyOfRange(kl, v * n, (v + 1) * n),
                        logQy == null ? null : java.util.Arrays.copyOfRange(logQy, v * n, (v + 1) * n),
                        java.util.Arrays.copyOfRange(delta, v * c, (v + 1) * c)));
            }
            return out;
        }
    }

    /** NaN or infinity in a model's output surfaces here (clipping keeps the logs finite, not the inputs). */
    private static void requireFinite(double[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new AuditException(ErrorKind.NON_FINITE_OUTPUT, "the model's outputs on the probes hold NaN or"
                        + " infinity (" + what + " " + values[i] + " at index " + i + ")");
            }
        }
    }

    static double[] toDoubles(NDArray a) {
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
