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

    /** An image of the training split in [0,1], with the feature written in or not. */
    record Probe(int index, int label, boolean withFeature) { }

    /**
     * The oracle: mean over {@code canaries} of log p(y | x ⊕ u) − log p(y | x) at the checkpoint, where x
     * is the data set's training image (which for a twin never carried the feature).
     */
    double oracle(Path checkpoint, CheckpointMetadata meta, ImageSet fullTrain, List<Canary> canaries, UniqueFeature uf) {
        return oracles(checkpoint, meta, fullTrain, Map.of("", canaries), uf).get("");
    }

    /** {@link #oracle} of each canary set, from one load of the checkpoint; keys in the map's order. */
    Map<String, Double> oracles(Path checkpoint, CheckpointMetadata meta, ImageSet fullTrain,
                                Map<String, List<Canary>> sets, UniqueFeature uf) {
        List<Probe> probes = new ArrayList<>();
        sets.values().forEach(canaries -> canaries.forEach(c -> {
            probes.add(new Probe(c.index(), c.label(), true));
            probes.add(new Probe(c.index(), c.label(), false));
        }));
        double[] lp = labelLogProbs(checkpoint, meta, fullTrain, probes, uf);
        Map<String, Double> out = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<String, List<Canary>> e : sets.entrySet()) {
            double sum = 0;
            for (int i = 0; i < e.getValue().size(); i++, k++) {
                sum += lp[2 * k] - lp[2 * k + 1];
            }
            out.put(e.getKey(), sum / e.getValue().size());
        }
        return out;
    }

    /** Cross-entropy loss of each given training image (no feature) at the checkpoint. */
    double[] losses(Path checkpoint, CheckpointMetadata meta, ImageSet fullTrain, int[] indices) {
        List<Probe> probes = IntStream.of(indices).mapToObj(i -> new Probe(i, fullTrain.label(i), false)).toList();
        double[] lp = labelLogProbs(checkpoint, meta, fullTrain, probes, null);
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
    double[] labelLogProbs(Path checkpoint, CheckpointMetadata meta, ImageSet set, List<Probe> probes, UniqueFeature uf) {
        double[] out = new double[probes.size()];
        try (NDManager scope = manager.newSubManager(); Model model = CheckpointStore.load(checkpoint, meta, scope)) {
            ParameterStore ps = new ParameterStore(scope, false);
            Normalisation norm = meta.normalisationValue();
            for (int from = 0; from < probes.size(); from += BATCH) {
                int to = Math.min(from + BATCH, probes.size());
                try (NDManager batch = scope.newSubManager()) {
                    NDArray x = batch.create(pixels(set, probes.subList(from, to), uf, norm),
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

    private static float[] pixels(ImageSet set, List<Probe> probes, UniqueFeature uf, Normalisation norm) {
        int n = set.pixelsPerImage();
        float[] buf = new float[probes.size() * n];
        for (int k = 0; k < probes.size(); k++) {
            Probe p = probes.get(k);
            set.toUnitFloats(p.index(), buf, k * n);
            if (p.withFeature()) {
                uf.insertInto(buf, k * n, set.channels(), set.height(), set.width());
            }
            norm.applyInPlace(buf, k * n, set.channels(), set.height(), set.width());
        }
        return buf;
    }
}
