package io.memaudit.common.scoring;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.feature.UniqueFeature;
import io.memaudit.common.model.Checkpoint;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.ModelSpec;
import io.memaudit.common.model.format.AuditableModel;
import io.memaudit.common.model.format.ModelFormat;
import io.memaudit.common.model.format.ModelFormats;
import io.memaudit.common.score.Verdict;
import io.memaudit.common.score.Evidence;
import io.memaudit.common.score.MemorisationRule;
import io.memaudit.common.score.SequentialStop;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores checkpoints of any registered model format on one device. Keeps one loaded model per
 * (format, spec) and only reloads weights per checkpoint; keeps the probe batches per (probe set, N, seeds, shape,
 * normalisation, feature) resident on the device. Not thread-safe: one scorer per scoring thread.
 */
public final class CheckpointScorer implements AutoCloseable {
    /** Probe batches kept at most; the oldest is freed first. */
    private static final int MAX_CACHED_PROBES = 4;
    /** Loaded models kept at most (one per format and spec); the oldest is closed first. */
    private static final int MAX_CACHED_MODELS = 4;

    private final Device device;
    private final ProbeProvider probeProvider;
    private final MemorisationRule rule;
    private final SequentialStop sequential;
    private final OutputReductions reductions;
    private final NDManager manager;
    private final Map<String, AuditableModel> models = new LinkedHashMap<>();
    private String lastEngine;
    private final Map<String, ProbeInputs> probes = new LinkedHashMap<>();
    private int probeBuilds;
    private int networkBuilds;

    public CheckpointScorer(Device device, ProbeProvider probeProvider, MemorisationRule rule, int chunk) {
        this(device, probeProvider, rule, chunk, null);
    }

    /**
     * @param sequential when to stop an audit early ({@link SequentialStop}); null: every audit scores all N probes
     */
    public CheckpointScorer(Device device, ProbeProvider probeProvider, MemorisationRule rule, int chunk,
                            SequentialStop sequential) {
        this.device = device;
        this.probeProvider = probeProvider;
        this.rule = rule;
        this.sequential = sequential;
        this.reductions = new OutputReductions(chunk);
        this.manager = NDManager.newBaseManager(device);
    }

    /** Images per forward pass unless configured. */
    public static final int DEFAULT_CHUNK = 2000;

    /** Default chunk: 2000 images per forward pass. */
    public CheckpointScorer(Device device, ProbeProvider probeProvider) {
        this(device, probeProvider, MemorisationRule.DEFAULT, DEFAULT_CHUNK);
    }

    public Device device() { return device; }

    /** The rule whose verdicts this scorer's results carry (confirmed by the caller; see {@link AuditResult#confirmedBy}). */
    public MemorisationRule rule() { return rule; }

    public AuditResult score(Path checkpointDir, AuditRequest request) {
        return score(checkpointDir, CheckpointStore.readMetadata(checkpointDir), request);
    }

    public AuditResult score(Path checkpointDir, CheckpointMetadata meta, AuditRequest request) {
        return score(Checkpoint.of(checkpointDir, meta), request);
    }

    /** Audits one checkpoint of any registered model format for the request's feature. */
    public AuditResult score(Checkpoint ckpt, AuditRequest request) {
        return score(ckpt, request, sequential);
    }

    /** The same with the scorer's sequential setting overridden (null: all N probes), for comparing the two. */
    public AuditResult score(Path checkpointDir, CheckpointMetadata meta, AuditRequest request, SequentialStop stop) {
        return score(Checkpoint.of(checkpointDir, meta), request, stop);
    }

    /** The same for a checkpoint of any format, with the sequential setting overridden (null: all N probes). */
    public AuditResult score(Checkpoint ckpt, AuditRequest request, SequentialStop stop) {
        long t0 = System.nanoTime();
        ModelSpec model = ckpt.spec();
        ModelFormat format = ModelFormats.of(model.format());
        format.validate(model);
        AuditInputs inputs = AuditInputs.resolve(request, model.inputShape());
        UniqueFeature base = inputs.feature();
        Integer label = labelFor(request, ckpt, base);
        long tp = System.nanoTime();
        ProbeInputs in = probeInputs(inputs, request, model);
        double probeMillis = (System.nanoTime() - tp) / 1e6;
        long tl = System.nanoTime();
        AuditableModel loaded = model(format, ckpt);
        double loadMillis = (System.nanoTime() - tl) / 1e6;
        // after the load: when the declared classes do not match the model, that is the fault to report
        if (label != null && (label < 0 || label >= model.classes())) {
            throw new AuditException(ErrorKind.FEATURE_INVALID, "label " + label + " is not a class of this model (0.."
                    + (model.classes() - 1) + ")");
        }
        int maxRank = SequentialStop.maxSignificantRank(rule, in.featureCount() - 1);
        OutputReductions.Result r = reductions.compute(loaded, model.output(), in, label, stop, maxRank);
        lastEngine = loaded.engine();
        AuditMath.Scored s = AuditMath.score(r);
        Evidence evidence = Evidence.of(s.kl(), s.label());
        Verdict verdict = rule.decide(evidence, List.of()); // the caller confirms it with the run's history
        return new AuditResult(ckpt.runId(), ckpt.epoch(), ckpt.step(), base.id(), inputs.probeSet(), s.feature(), s.kl(), s.label(),
                evidence, verdict, in.featureIds().subList(1, in.featureCount()),
                s.controls().stream().mapToDouble(f -> f.mKl()).toArray(), r.controlProbes(), ckpt.sha256(),
                device.toString(), loadMillis, probeMillis, r.forwardNanos() / 1e6, (System.nanoTime() - t0) / 1e6);
    }

    private static Integer labelFor(AuditRequest request, Checkpoint ckpt, UniqueFeature uf) {
        if (request.label() != null) {
            return request.label();
        }
        CheckpointMetadata.FeatureRef ref = ckpt.feature();
        return ref != null && uf.id().equals(ref.id()) ? ref.label() : null;
    }

    /**
     * The loaded model for a checkpoint: the cached one of the same format and spec with the new
     * weights, or a new one. A model whose load or reload fails is closed and dropped, so one bad
     * checkpoint cannot spoil the next good one.
     */
    private AuditableModel model(ModelFormat format, Checkpoint ckpt) {
        String key = format.reuseKey(ckpt.spec());
        AuditableModel cached = models.remove(key);
        if (cached != null) {
            try {
                cached.reload(ckpt.modelFile(), ckpt.sha256ToCheck());
            } catch (RuntimeException | Error e) {
                cached.close();
                throw e;
            }
            models.put(key, cached);
            return cached;
        }
        AuditableModel built = format.open(ckpt.spec(), ckpt.modelFile(), ckpt.sha256ToCheck(), manager);
        networkBuilds++;
        putEvictingOldest(models, key, built, MAX_CACHED_MODELS);
        return built;
    }

    private ProbeInputs probeInputs(AuditInputs inputs, AuditRequest request, ModelSpec model) {
        String key = inputs.cacheKey(request, model.inputShape(), model.normalisation());
        ProbeInputs cached = probes.get(key);
        if (cached != null) {
            return cached;
        }
        ProbeInputs built = inputs.build(probeProvider, request, model.inputShape(), model.normalisation(), manager);
        probeBuilds++;
        putEvictingOldest(probes, key, built, MAX_CACHED_PROBES);
        return built;
    }

    /** Puts into an insertion-ordered cache, first closing its oldest entry when it holds {@code max}. */
    private static <V extends AutoCloseable> void putEvictingOldest(Map<String, V> cache, String key, V value, int max) {
        if (cache.size() >= max) {
            String oldest = cache.keySet().iterator().next();
            try {
                cache.remove(oldest).close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot free cached " + oldest + ": " + e.getMessage(), e);
            }
        }
        cache.put(key, value);
    }

    /** How many times probe batches were built (not taken from the cache). */
    public int probeBuilds() {
        return probeBuilds;
    }

    /** How many networks were built (not reused with reloaded parameters). */
    public int networkBuilds() {
        return networkBuilds;
    }

    /** Engine and device of the last audit, e.g. "MXNet 1.9.1 on cpu()" (the default engine before any). */
    public String engineDescription() {
        if (lastEngine != null) {
            return lastEngine;
        }
        Engine e = Engine.getInstance();
        return e.getEngineName() + " " + e.getVersion() + " on " + device;
    }

    @Override
    public void close() {
        probes.values().forEach(ProbeInputs::close);
        probes.clear();
        models.values().forEach(AuditableModel::close);
        models.clear();
        manager.close();
    }
}
