package io.memaudit.common.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.events.AuditException;
import io.memaudit.common.model.OutputKind;
import io.memaudit.common.model.PassSize;
import io.memaudit.common.model.format.AuditableModel;
import io.memaudit.common.score.SequentialStop;

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

    /**
     * @param controlProbes probes the controls (features 1..) cover: all of them unless a sequential
     *                      audit stopped early; the random patch and the feature (0) always cover all
     */
    public record Result(Variant random, List<Variant> features, int controlProbes, long forwardNanos) { }

    private final int chunk;

    /** @param chunk maximum images per forward pass (bounds activation memory); a model may prefer fewer */
    public OutputReductions(int chunk) {
        this.chunk = chunk;
    }

    public Result compute(AuditableModel model, OutputKind output, ProbeInputs in, Integer label) {
        return compute(model, output, in, label, null, 0);
    }

    /**
     * The reductions over the probes, in blocks of {@code stop.block()} probes when {@code stop} is
     * given, stopping after the first block at which {@link SequentialStop#canStop} says the evidence
     * can no longer become significant; the result then covers only the probes seen. Without
     * {@code stop} every probe is one block, as before sequential audits existed.
     *
     * @param maxRank {@link SequentialStop#maxSignificantRank} for this audit's rule and K
     */
    public Result compute(AuditableModel model, OutputKind output, ProbeInputs in, Integer label, SequentialStop stop,
                          int maxRank) {
        try (NDManager m = in.clean().getManager().newSubManager()) {
            in.attachTemporarily(m); // every output of this audit is freed when m closes
            long t0 = System.nanoTime();
            List<NDArray> variants = new ArrayList<>(List.of(in.random()));
            for (int k = 0; k < in.featureCount(); k++) {
                variants.add(in.feature(k));
            }
            int n = in.n();
            int block = stop == null ? n : Math.min(stop.block(), n);
            ReductionSums sums = new ReductionSums(variants.size(), n, label != null);
            int seen = 0;
            while (seen < n) {
                int to = Math.min(seen + block, n);
                reduceBlock(m, model, output, in.clean(), variants, seen, to, label, sums);
                seen = to;
                if (stop != null && stop.canStop(sums.statistic(1), sums.controlStatistics(), seen, n, maxRank)) {
                    break;
                }
            }
            int controlProbes = seen;
            if (seen < n) {
                // the evidence is settled: the rest of the probes for the random patch and the feature only,
                // so the feature's own scores (M_KL, M_label, M_prob, the paired tests) are the fixed-N ones
                reduceBlock(m, model, output, in.clean(), variants.subList(0, 2), seen, n, label, sums);
            }
            List<Variant> all = sums.variants(controlProbes, n);
            return new Result(all.get(0), List.copyOf(all.subList(1, all.size())), controlProbes, System.nanoTime() - t0);
        }
    }

    /** Probes [from, to) of the clean batch and of every variant, reduced into {@code sums}. */
    private void reduceBlock(NDManager m, AuditableModel model, OutputKind output, NDArray clean, List<NDArray> variants,
                             int from, int to, Integer label, ReductionSums sums) {
        try (NDManager scope = m.newSubManager()) {
            NDArray rawP = probabilities(model, output, slice(clean, from, to, scope));
            checkDistributions(rawP, output, from);
            NDArray p = rawP.clip(CLIP, 1f);
            NDArray logP = p.log();
            int group = groupSize(to - from, rawP.getShape().get(1));
            for (int v = 0; v < variants.size(); v += group) {
                int last = Math.min(v + group, variants.size());
                reduceGroup(scope, rawP, p, logP, model, output, variants.subList(v, last), from, to, label, sums, v);
            }
        }
    }

    /** Rows [from, to) of x, freed with scope (x itself when that is all of it). */
    private static NDArray slice(NDArray x, int from, int to, NDManager scope) {
        if (from == 0 && to == x.getShape().get(0)) {
            return x;
        }
        NDArray part = x.get(new NDIndex("{}:{}", from, to));
        part.attach(scope);
        return part;
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
    private static void checkDistributions(NDArray rawP, OutputKind output, int firstProbe) {
        if (output == OutputKind.LOGITS) {
            return;
        }
        float[] sums = rawP.sum(new int[] {1}).toFloatArray();
        for (int i = 0; i < sums.length; i++) {
            if (!(Math.abs(sums[i] - 1f) <= 1e-3f)) {
                throw new AuditException(Float.isFinite(sums[i]) ? ErrorKind.SHAPE_MISMATCH : ErrorKind.NON_FINITE_OUTPUT,
                        "model.output is " + output.wire() + " but the model's output for probe image " + (firstProbe + i)
                        + " gives probabilities summing to " + sums[i] + " (declare model.output logits if it outputs logits)");
            }
        }
    }

    /**
     * Softmax outputs of a whole batch, in passes of the model's preferred size within {@link #chunk}
     * images ({@link PassSize#within}). Each pass's activations live in their own scope and are freed
     * as soon as its probabilities are out; the result is attached to {@code x}'s manager.
     */
    public NDArray probabilities(AuditableModel model, OutputKind output, NDArray x) {
        NDManager owner = x.getManager();
        long n = x.getShape().get(0);
        int pass = model.preferredPassSize().within(chunk);
        NDList parts = new NDList();
        for (long from = 0; from < n; from += pass) {
            long to = Math.min(from + pass, n);
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
     * Forward passes of several variants' probes [from, to) and their reductions in one round: the
     * outputs stacked to (G, n, C) against the clean outputs (n, C), broadcast; three copies to the
     * host for the group. Everything but the copied-out vectors is freed.
     */
    private void reduceGroup(NDManager m, NDArray rawP, NDArray p, NDArray logP, AuditableModel model, OutputKind output,
                             List<NDArray> xs, int from, int to, Integer label, ReductionSums sums, int firstVariant) {
        try (NDManager scope = m.newSubManager()) {
            PassSize pass = model.preferredPassSize();
            NDArray rawQ = pass.stacks() && to - from < pass.within(chunk) && xs.size() > 1
                    ? stackedForward(scope, model, output, xs, from, to)
                    : separateForwards(scope, model, output, xs, from, to);
            NDArray q = rawQ.clip(CLIP, 1f);
            NDArray logQ = q.log();
            double[] kl = toDoubles(p.mul(logP.sub(logQ)).sum(new int[] {2}));
            double[] logQy = label == null ? null : toDoubles(logQ.get(new NDIndex(":, :, {}", label)));
            double[] deltaSum = toDoubles(rawQ.sub(rawP).sum(new int[] {1}));
            requireFinite(kl, "KL divergence");
            requireFinite(deltaSum, "change of a class probability");
            sums.add(firstVariant, xs.size(), from, to, kl, logQy, deltaSum);
        }
    }

    /** Each variant's probes in passes of their own: (G, n, C). */
    private NDArray separateForwards(NDManager scope, AuditableModel model, OutputKind output, List<NDArray> xs,
                                     int from, int to) {
        NDList outputs = new NDList();
        for (NDArray x : xs) {
            boolean whole = from == 0 && to == x.getShape().get(0);
            if (whole) {
                x.tempAttach(scope);
            }
            outputs.add(probabilities(model, output, whole ? x : slice(x, from, to, scope)));
        }
        return outputs.size() == 1 ? outputs.get(0).expandDims(0) : NDArrays.stack(outputs, 0);
    }

    /**
     * The variants' probes [from, to) stacked into one batch and run in passes, (G, n, C). A sequential
     * audit's blocks (125 probes by default) can be far smaller than the pass a model runs best at: run one
     * variant at a time, every forward pass of a small dense network paid the engine's per-operation
     * cost for a thin matrix product. Stacked, a pass holds several variants; the copy of the inputs
     * costs far less than the calls it saves — for the models whose preferred pass size is known
     * ({@link AuditableModel#preferredPassSize}).
     */
    private NDArray stackedForward(NDManager scope, AuditableModel model, OutputKind output, List<NDArray> xs,
                                   int from, int to) {
        NDList parts = new NDList();
        for (NDArray x : xs) {
            parts.add(slice(x, from, to, scope));
        }
        NDArray batch = NDArrays.concat(parts, 0);
        batch.attach(scope);
        NDArray probs = probabilities(model, output, batch);
        return probs.reshape(xs.size(), to - from, probs.getShape().get(1));
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
