package io.memaudit.cli.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.scoring.ProbeInputs;

import java.util.ArrayList;
import java.util.List;

/**
 * The forward passes of one audit's (3+K)·N images and nothing else: the same network, probes and
 * pass size as the audit (the model's preferred size within the chunk), each pass synchronised by reading one number back. Built once, so that
 * {@code bench score} can alternate it with full audits and pair each full audit with a bare run
 * taken moments apart (the machine's speed drifts by more than the overhead between phases).
 */
public final class BareForward implements AutoCloseable {
    private final NDManager manager;
    private final Block block;
    private final ProbeInputs inputs;
    private final int pass;

    public BareForward(Architecture arch, int[] shape, Normalisation norm, ImageSet images, int controls, int chunk, Device dev) {
        this.pass = arch.passSize(dev).within(chunk);
        manager = NDManager.newBaseManager(dev);
        block = arch.newBlock(10);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, shape[0], shape[1], shape[2]));
        UniqueFeature uf = FeatureSpec.parse("glyph:A").resolve(shape[1], shape[2]);
        List<UniqueFeature> feats = new ArrayList<>(List.of(uf));
        feats.addAll(ControlFeatures.controlsFor(uf, null, controls));
        inputs = ProbeInputs.build(images, feats, norm, RandomPatches.DEFAULT_SEED, manager);
    }

    /** One run over every batch of the audit, in milliseconds. */
    public double runMillis() {
        long t0 = System.nanoTime();
        try (NDManager scope = manager.newSubManager()) {
            inputs.attachTemporarily(scope);
            ParameterStore ps = new ParameterStore(scope, false);
            forward(ps, inputs.clean());
            forward(ps, inputs.random());
            for (int k = 0; k < inputs.featureCount(); k++) {
                forward(ps, inputs.feature(k));
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private void forward(ParameterStore ps, NDArray x) {
        long rows = x.getShape().get(0);
        for (long from = 0; from < rows; from += pass) {
            long to = Math.min(from + pass, rows);
            try (NDManager scope = x.getManager().newSubManager()) {
                NDArray part = from == 0 && to == rows ? x : x.get(new NDIndex("{}:{}", from, to));
                part.tempAttach(scope);
                block.forward(ps, new NDList(part), false).singletonOrThrow().sum().getFloat();
            }
        }
    }

    @Override
    public void close() {
        inputs.close();
        manager.close();
    }
}
