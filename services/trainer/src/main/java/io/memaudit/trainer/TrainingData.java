package io.memaudit.trainer;

import io.memaudit.common.data.ImageSet;
import io.memaudit.common.feature.UniqueFeature;
import io.memaudit.common.model.CheckpointMetadata.Canary;
import io.memaudit.common.model.Normalisation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training, validation and test images of one run, and the canaries: training images with the
 * unique feature written in. The validation split is the same for every run (fixed seed), so canary
 * models and their twins are validated on identical images; the canary candidates depend only on
 * the run seed, so a twin knows which images its canary sibling altered.
 */
public final class TrainingData {
    /** Fraction of the training set held out for validation (early stopping). */
    public static final double VALIDATION_FRACTION = 0.1;
    /** How many canary candidates are recorded (the oracle of issue "reproduce" reads them). */
    public static final int CANDIDATES = 100;
    private static final long VALIDATION_SEED = 0x5EEDL;
    private static final long CANARY_SALT = 0xCA7A12L;

    private final ImageSet train;
    private final ImageSet validation;
    private final ImageSet test;
    private final Normalisation normalisation;
    private final UniqueFeature feature;
    private final int[] candidates;
    private final int canaryCount;
    private final int[] sourceIndex;
    private final Map<Integer, float[]> canaryImages = new HashMap<>();

    private TrainingData(ImageSet train, int[] sourceIndex, ImageSet validation, ImageSet test,
                         Normalisation normalisation, UniqueFeature feature, int[] candidates, int canaryCount) {
        this.train = train;
        this.sourceIndex = sourceIndex;
        this.validation = validation;
        this.test = test;
        this.normalisation = normalisation;
        this.feature = feature;
        this.candidates = candidates;
        this.canaryCount = canaryCount;
        for (int k = 0; k < canaryCount; k++) {
            float[] img = train.unitFloats(candidates[k]);
            feature.insertInto(img, 0, train.channels(), train.height(), train.width());
            canaryImages.put(candidates[k], img);
        }
    }

    /**
     * Splits {@code fullTrain} into training and validation images, optionally keeps only the first
     * {@code trainLimit} training images, and plants {@code canaries} copies of the feature.
     */
    public static TrainingData prepare(ImageSet fullTrain, ImageSet test, Normalisation normalisation,
                                       UniqueFeature feature, int canaries, long seed, int trainLimit) {
        return prepare(fullTrain, test, normalisation, feature, canaries, seed, trainLimit, null);
    }

    /**
     * As above; when {@code explicitCandidates} is not null (indices of {@code fullTrain}, in order),
     * they replace the seeded random candidates: the first {@code canaries} carry the feature.
     *
     * @throws IllegalArgumentException when an index is not in the training part (validation, beyond
     *                                  the train limit, or outside the data set)
     */
    public static TrainingData prepare(ImageSet fullTrain, ImageSet test, Normalisation normalisation,
                                       UniqueFeature feature, int canaries, long seed, int trainLimit,
                                       List<Integer> explicitCandidates) {
        feature.validateFits(fullTrain.height(), fullTrain.width());
        int[] perm = permutation(fullTrain.size(), new SplittableRandom(VALIDATION_SEED));
        int nVal = (int) Math.round(fullTrain.size() * VALIDATION_FRACTION);
        int[] valIdx = Arrays.copyOfRange(perm, 0, nVal);
        int[] trainIdx = Arrays.copyOfRange(perm, nVal, perm.length);
        Arrays.sort(valIdx);
        Arrays.sort(trainIdx);
        if (trainLimit > 0 && trainLimit < trainIdx.length) {
            trainIdx = Arrays.copyOf(trainIdx, trainLimit);
        }
        ImageSet train = fullTrain.subset(fullTrain.name() + "/train", trainIdx);
        ImageSet val = fullTrain.subset(fullTrain.name() + "/validation", valIdx);
        if (canaries > train.size()) {
            throw new IllegalArgumentException("--canaries = " + canaries + " but the training split has only "
                    + train.size() + " images");
        }
        int[] cand = explicitCandidates != null ? trainPositions(explicitCandidates, trainIdx, fullTrain.name())
                : Arrays.copyOf(permutation(train.size(), new SplittableRandom(seed ^ CANARY_SALT)),
                        Math.min(train.size(), Math.max(CANDIDATES, canaries)));
        return new TrainingData(train, trainIdx, val, test, normalisation, feature, cand, canaries);
    }

    /** Positions in the training split of data-set indices; each must be a training image. */
    private static int[] trainPositions(List<Integer> sourceIndices, int[] sortedTrainIdx, String setName) {
        int[] pos = new int[sourceIndices.size()];
        for (int k = 0; k < pos.length; k++) {
            int p = Arrays.binarySearch(sortedTrainIdx, sourceIndices.get(k));
            if (p < 0) {
                throw new IllegalArgumentException("canary index " + sourceIndices.get(k) + " is not a training image of "
                        + setName + " (validation split, beyond --train-limit, or out of range)");
            }
            pos[k] = p;
        }
        return pos;
    }

    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    public ImageSet train() { return train; }
    public ImageSet validation() { return validation; }
    public ImageSet test() { return test; }
    public Normalisation normalisation() { return normalisation; }
    public UniqueFeature feature() { return feature; }

    /** Training image {@code i} in [0,1], with the feature written in when it is a canary. */
    public void trainImage(int i, float[] out, int offset) {
        float[] canary = canaryImages.get(i);
        if (canary != null) {
            System.arraycopy(canary, 0, out, offset, canary.length);
        } else {
            train.toUnitFloats(i, out, offset);
        }
    }

    public List<Canary> canaries() { return canaryList(canaryCount); }

    /** The index in the data set's own training split of training image {@code trainPosition}. */
    public int sourceIndex(int trainPosition) { return sourceIndex[trainPosition]; }

    public List<Canary> candidateCanaries() { return canaryList(candidates.length); }

    /** Canaries by their index in the data set's own training split (as the data set numbers its images). */
    private List<Canary> canaryList(int count) {
        List<Canary> list = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            list.add(new Canary(sourceIndex[candidates[k]], train.label(candidates[k])));
        }
        return list;
    }

    /**
     * The feature's training label: the most frequent label among the canaries (ties: the smaller
     * label); for a twin, the label the first canary of its sibling would carry.
     */
    public int featureLabel() {
        int n = Math.max(canaryCount, 1);
        int[] counts = new int[1 + Arrays.stream(train.labels()).max().orElse(0)];
        for (int k = 0; k < n; k++) {
            counts[train.label(candidates[k])]++;
        }
        int best = 0;
        for (int c = 1; c < counts.length; c++) {
            if (counts[c] > counts[best]) {
                best = c;
            }
        }
        return best;
    }
}
