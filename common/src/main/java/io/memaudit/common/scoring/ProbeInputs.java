package io.memaudit.common.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.feature.FeatureScale;
import io.memaudit.common.feature.RandomPatches;
import io.memaudit.common.feature.UniqueFeature;
import io.memaudit.common.model.Normalisation;

import java.util.ArrayList;
import java.util.List;

/**
 * The normalised input batches of one audit, resident on the scoring device: the clean probe images,
 * the same images with a random Bernoulli(0.5) patch of the feature's shape (one pattern per image,
 * fixed seed), and the same images with the feature and with each control feature. Built once and
 * reused for every checkpoint of the same input shape.
 */
public final class ProbeInputs implements AutoCloseable {
    private final NDManager manager;
    private final NDArray clean;
    private final NDArray random;
    private final List<NDArray> features;
    private final List<String> featureIds;
    private final int n;

    private ProbeInputs(NDManager manager, NDArray clean, NDArray random, List<NDArray> features,
                        List<String> featureIds, int n) {
        this.manager = manager;
        this.clean = clean;
        this.random = random;
        this.features = features;
        this.featureIds = featureIds;
        this.n = n;
    }

    /**
     * @param features the audited feature first, then its controls; all must have the first one's shape
     */
    public static ProbeInputs build(ImageSet probes, List<UniqueFeature> features, Normalisation norm,
                                    long patchSeed, NDManager parent) {
        return build(probes, features, norm, patchSeed, 1, parent);
    }

    /**
     * @param scale the features' upsampling ({@link FeatureScale}): the random patches are drawn at the
     *              unscaled size and upsampled the same way, so they have the features' block structure
     */
    public static ProbeInputs build(ImageSet probes, List<UniqueFeature> features, Normalisation norm,
                                    long patchSeed, int scale, NDManager parent) {
        int c = probes.channels();
        int h = probes.height();
        int w = probes.width();
        UniqueFeature uf = features.get(0);
        for (UniqueFeature f : features) {
            f.validateFits(h, w);
        }
        if (norm.channels() != c) {
            throw new IllegalArgumentException("probe set " + probes.name() + " has " + c
                    + " channel(s) but the model's normalisation has " + norm.channels());
        }
        int n = probes.size();
        float[][][] patches = RandomPatches.generate(n, uf.height() / scale, uf.width() / scale, patchSeed);
        for (int i = 0; i < n; i++) {
            patches[i] = FeatureScale.upsample(patches[i], scale);
        }
        NDManager m = parent.newSubManager();
        try {
            Shape shape = new Shape(n, c, h, w);
            NDArray clean = m.create(batch(probes, norm, (img, i) -> { }), shape);
            NDArray random = m.create(batch(probes, norm, (img, i) -> uf.insertControlInto(patches[i], img, 0, c, h, w)), shape);
            List<NDArray> feats = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (UniqueFeature f : features) {
                feats.add(m.create(batch(probes, norm, (img, i) -> f.insertInto(img, 0, c, h, w)), shape));
                ids.add(f.id());
            }
            return new ProbeInputs(m, clean, random, feats, ids, n);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private interface Edit {
        void apply(float[] image, int index);
    }

    private static float[] batch(ImageSet probes, Normalisation norm, Edit edit) {
        int px = probes.pixelsPerImage();
        float[] buf = new float[probes.size() * px];
        float[] img = new float[px];
        for (int i = 0; i < probes.size(); i++) {
            probes.toUnitFloats(i, img, 0);
            edit.apply(img, i);
            norm.applyInPlace(img, 0, probes.channels(), probes.height(), probes.width());
            System.arraycopy(img, 0, buf, i * px, px);
        }
        return buf;
    }

    public NDArray clean() { return clean; }
    public NDArray random() { return random; }
    /** Batch with feature {@code k} inserted: 0 is the audited feature, 1..K the controls. */
    public NDArray feature(int k) { return features.get(k); }
    public int featureCount() { return features.size(); }
    public List<String> featureIds() { return featureIds; }
    public int n() { return n; }

    /** Attaches the batches to {@code scope} until it closes, so that results derived from them are freed with it. */
    public void attachTemporarily(NDManager scope) {
        clean.tempAttach(scope);
        random.tempAttach(scope);
        features.forEach(f -> f.tempAttach(scope));
    }

    @Override
    public void close() {
        manager.close();
    }
}
