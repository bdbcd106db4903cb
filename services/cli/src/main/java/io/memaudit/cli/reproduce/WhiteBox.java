package io.memaudit.cli.reproduce;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.feature.UniqueFeature;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointMetadata.Canary;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.Normalisation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What only the trainer can know: forward passes of a checkpoint on training images. The memorisation
 * oracle (how much the label's log-probability drops when the unique feature is removed from the canary
 * image) and the per-image training loss that picks "hard" canaries.
 */
final class WhiteBox {
    private static final int BATCH = 1000;

    private final NDManager manager;

    WhiteBox(NDManager manager) {
        this.manager = manager;
    }

    /** An image of the training split in [0,1], with {@code feature} written in (null: as it is). */
    record Probe(int index, int label, UniqueFeature feature) { }

    /**
     * The oracle: mean over {@code canaries} of log p(y | x ⊕ u) − log p(y | x) at the checkpoint, where x
     * is the data set's training image (which for a twin never carried the feature).
     */
    double oracle(Path checkpoint, CheckpointMetadata meta, ImageSet fullTrain, List<Canary> canaries, UniqueFeature uf) {
        return oracles(checkpoint, meta, fullTrain, Map.of("", canaries), uf, List.of()).get("").plain();
    }

    /** Both oracles of one canary set at one checkpoint, in nats. */
    record Oracles(double plain, double specific) { }

    /**
     * {@link #oracle} of each canary set, and the feature-specific oracle, from one load of the
     * checkpoint; keys in the map's order.
     *
     * <p>The plain oracle, log p(y | x ⊕ u) − log p(y | x), is not specific to the feature: on the images a
     * model fits worst, writing any never-seen glyph at u's place moves log p(y) by more than a nat in
     * about 30 % of (image, glyph) pairs. The specific oracle compares u with the audit's own controls
     * at the same place instead: mean over canaries of log p(y | x ⊕ u) − max_c log p(y | x ⊕ c). It is
     * positive only when the model prefers the label with <i>this</i> feature over every other glyph.
     */
    Map<String, Oracles> oracles(Path checkpoint, CheckpointMetadata meta, ImageSet fullTrain,
                                 Map<String, List<Canary>> sets, UniqueFeature uf, List<UniqueFeature> controls) {
        int per = 2 + controls.size(); // u, none, then each control
        List<Probe> probes = new ArrayList<>();
        sets.values().forEach(canaries -> canaries.forEach(c -> {
            probes.add(new Probe(c.index(), c.label(), uf));
            probes.add(new Probe(c.index(), c.label(), null));
            controls.forEach(ctl -> probes.add(new Probe(c.index(), c.label(), ctl)));
        }));
        double[] lp = labelLogProbs(checkpoint, meta, fullTrain, probes);
        Map<String, Oracles> out = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<String, List<Canary>> e : sets.entrySet()) {
            double plain = 0;
            double specific = 0;
            for (int i = 0; i < e.getValue().size(); i++, k++) {
                int at = k * per;
                plain += lp[at] - lp[at + 1];
                double bestControl = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < controls.size(); c++) {
                    bestControl = Math.max(bestControl, lp[at + 2 + c]);
                }
                specific += lp[at] - bestControl;
            }
            int n = e.getValue().size();
            out.put(e.getKey(), new Oracles(plain / n, specific / n));
        }
        return out;
    }

    /** Cross-entropy loss of each given training image (no feature) at the checkpoint. */
    double[] losses(Path checkpoint, CheckpointMetadata meta, ImageSet fullTrain, int[] indices) {
        List<Probe> probes = IntStream.of(indices).mapToObj(i -> new Probe(i, fullTrain.label(i), null)).toList();
        double[] lp = labelLogProbs(checkpoint, meta, fullTrain, probes);
        for (int i = 0; i < lp.length; i++) {
            lp[i] = -lp[i];
        }
        return lp;
    }

    /** The {@code k} indices with the highest loss, highest first (ties: the smaller index first). */
    static List<Integer> hardest(int[] indices, double[] losses, int k) {
        return IntStream.range(0, indices.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -losses[i]).thenComparingInt(i -> indices[i]))
                .limit(k).map(i -> indices[i]).toList();
    }

    /** log p(y | image) for each probe, in batches, with the checkpoint's normalisation, in inference mode. */
    double[] labelLogProbs(Path checkpoint, CheckpointMetadata meta, ImageSet set, List<Probe> probes) {
        double[] out = new double[probes.size()];
        try (NDManager scope = manager.newSubManager(); Model model = CheckpointStore.load(checkpoint, meta, scope)) {
            ParameterStore ps = new ParameterStore(scope, false);
            Normalisation norm = meta.normalisationValue();
            for (int from = 0; from < probes.size(); from += BATCH) {
                int to = Math.min(from + BATCH, probes.size());
                try (NDManager batch = scope.newSubManager()) {
                    NDArray x = batch.create(pixels(set, probes.subList(from, to), norm),
                            new Shape(to - from, set.channels(), set.height(), set.width()));
                    float[] logp = model.getBlock().forward(ps, new NDList(x), false).singletonOrThrow()
                            .logSoftmax(1).toFloatArray();
                    int classes = logp.length / (to - from);
                    for (int k = from; k < to; k++) {
                        out[k] = logp[(k - from) * classes + probes.get(k).label()];
                    }
                }
            }
        }
        return out;
    }

    private static float[] pixels(ImageSet set, List<Probe> probes, Normalisation norm) {
        int n = set.pixelsPerImage();
        float[] buf = new float[probes.size() * n];
        for (int k = 0; k < probes.size(); k++) {
            Probe p = probes.get(k);
            set.toUnitFloats(p.index(), buf, k * n);
            if (p.feature() != null) {
                p.feature().insertInto(buf, k * n, set.channels(), set.height(), set.width());
            }
            norm.applyInPlace(buf, k * n, set.channels(), set.height(), set.width());
        }
        return buf;
    }
}
