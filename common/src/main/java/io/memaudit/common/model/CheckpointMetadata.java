package io.memaudit.common.model;

import java.util.List;

/**
 * What a checkpoint directory says about itself ({@code metadata.json}, written by the reference
 * trainer). Everything the auditor needs to rebuild the network and its input path is here; the
 * canary fields are ground truth that a real auditor would not have and the scorer never reads.
 *
 * @param format           always {@link #FORMAT}
 * @param runId            the training run this checkpoint belongs to
 * @param dataset          training data set ("mnist", "fashion-mnist", "cifar10")
 * @param architecture     {@link Architecture} wire name
 * @param variant          {@link Variant} wire name
 * @param inputShape       [C, H, W]
 * @param classes          number of output classes
 * @param normalisation    per-channel mean/std applied after feature insertion
 * @param feature          the unique feature planted (or, for a twin, the one that would have been)
 * @param canaries         training images that carry the feature (empty for a twin)
 * @param candidateCanaries the images a canary run with the same seed would use (ground truth for twins)
 * @param seed             training seed
 * @param epoch            1-based epoch after which this checkpoint was saved
 * @param step             optimiser steps taken so far
 * @param metrics          training and validation metrics at this checkpoint
 * @param paramsFile       file name of the parameters inside the checkpoint directory
 * @param paramsSha256     SHA-256 of the parameters file
 * @param createdAt        ISO-8601 instant
 */
public record CheckpointMetadata(
        String format,
        String runId,
        String dataset,
        String architecture,
        String variant,
        int[] inputShape,
        int classes,
        NormalisationJson normalisation,
        FeatureRef feature,
        List<Canary> canaries,
        List<Canary> candidateCanaries,
        long seed,
        int epoch,
        long step,
        Metrics metrics,
        String paramsFile,
        String paramsSha256,
        String createdAt) {

    public static final String FORMAT = "memaudit-djl-params/1";
    public static final String FILE_NAME = "metadata.json";

    /** The feature as stored: its spec string (parseable by FeatureSpec), id and training label. */
    public record FeatureRef(String spec, String id, Integer label) { }

    /** One canary: the training-set index and its label. */
    public record Canary(int index, int label) { }

    /** Losses and accuracies; validation fields may be null when no validation set was used. */
    public record Metrics(Double trainLoss, Double trainAccuracy, Double valLoss, Double valAccuracy) { }

    /** JSON shape of {@link Normalisation}. */
    public record NormalisationJson(float[] mean, float[] std) {
        public Normalisation toNormalisation() { return new Normalisation(mean, std); }

        public static NormalisationJson of(Normalisation n) { return new NormalisationJson(n.mean(), n.std()); }
    }

    public Architecture architectureEnum() { return Architecture.parse(architecture); }

    public Normalisation normalisationValue() { return normalisation.toNormalisation(); }

    /** A copy with the parameters' file name and checksum filled in. */
    public CheckpointMetadata withParams(String file, String sha256) {
        return new CheckpointMetadata(format, runId, dataset, architecture, variant, inputShape, classes, normalisation,
                feature, canaries, candidateCanaries, seed, epoch, step, metrics, file, sha256, createdAt);
    }
}
