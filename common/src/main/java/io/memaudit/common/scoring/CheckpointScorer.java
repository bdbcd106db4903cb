package io.memaudit.common.scoring;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.feature.ControlFeatures;
import io.memaudit.common.feature.FeatureSpec;
import io.memaudit.common.feature.UniqueFeature;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.score.Verdict;
import io.memaudit.common.score.VerdictRule;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores checkpoints on one device. Keeps one network per (architecture, input shape, classes) and
 * only reloads parameters per checkpoint; keeps the probe batches per (probe set, N, seeds, shape,
 * normalisation, feature) resident on the device. Not thread-safe: one scorer per scoring thread.
 */
public final class CheckpointScorer implements AutoCloseable {
    /** Probe batches kept at most; the oldest is freed first. */
    private static final int MAX_CACHED_PROBES = 4;

    private final Device device;
    private final ProbeProvider probeProvider;
    private final VerdictRule rule;
    private final OutputReductions reductions;
    private final NDManager manager;
    private final Map<String, Model> models = new LinkedHashMap<>();
    private final Map<String, ProbeInputs> probes = new LinkedHashMap<>();
    private int probeBuilds;
    private int networkBuilds;

    public CheckpointScorer(Device device, ProbeProvider probeProvider, VerdictRule rule, int chunk) {
        this.device = device;
        this.probeProvider = probeProvider;
        this.rule = rule;
        this.reductions = new OutputReductions(chunk);
        this.manager = NDManager.newBaseManager(device);
    }

    /** Default chunk: 2000 images per forward pass. */
    public CheckpointScorer(Device device, ProbeProvider probeProvider) {
        this(device, probeProvider, VerdictRule.DEFAULT, 2000);
    }

    public Device device() { return device; }

    public AuditResult score(Path checkpointDir, AuditRequest request) {
        return score(checkpointDir, CheckpointStore.readMetadata(checkpointDir), request);
    }

    public AuditResult score(Path checkpointDir, CheckpointMetadata meta, AuditRequest request) {
        long t0 = System.nanoTime();
        String probeSet = request.probeSet() != null ? request.probeSet() : ProbeDefaults.forShape(meta.inputShape());
        FeatureSpec spec = FeatureSpec.parse(request.featureSpec());
        int[] shape = meta.inputShape();
        UniqueFeature uf = spec.resolve(shape[1], shape[2]);
        uf.validateFits(shape[1], shape[2]);
        Integer label = labelFor(request, meta, uf);
        if (label != null && (label < 0 || label >= meta.classes())) {
            throw new IllegalArgumentException("label " + label + " is not a class of this model (0.." + (meta.classes() - 1) + ")");
        }
        long tp = System.nanoTime();
        ProbeInputs in = probeInputs(probeSet, request, meta, uf);
        double probeMillis = (System.nanoTime() - tp) / 1e6;
        long tl = System.nanoTime();
        Model model = model(checkpointDir, meta);
        double loadMillis = (System.nanoTime() - tl) / 1e6;
        OutputReductions.Result r = reductions.compute(model.getBlock(), in, label);
        AuditMath.Scored s = AuditMath.score(r);
        Verdict verdict = rule.decide(s.kl(), s.feature());
        return new AuditResult(meta.runId(), meta.epoch(), meta.step(), uf.id(), probeSet, s.feature(), s.kl(), s.label(),
                verdict, in.featureIds().subList(1, in.featureCount()),
                s.controls().stream().mapToDouble(f -> f.mKl()).toArray(), meta.paramsSha256(),
                device.toString(), loadMillis, probeMillis, r.forwardNanos() / 1e6, (System.nanoTime() - t0) / 1e6);
    }

    private static Integer labelFor(AuditRequest request, CheckpointMetadata meta, UniqueFeature uf) {
        if (request.label() != null) {
            return request.label();
        }
        CheckpointMetadata.FeatureRef ref = meta.feature();
        return ref != null && uf.id().equals(ref.id()) ? ref.label() : null;
    }

    private Model model(Path dir, CheckpointMetadata meta) {
        String key = meta.architecture() + Arrays.toString(meta.inputShape()) + meta.classes();
        Model model = models.get(key);
        if (model == null) {
            model = CheckpointStore.load(dir, meta, manager);
            models.put(key, model);
            networkBuilds++;
        } else {
            CheckpointStore.reload(model.getBlock(), dir, meta, model.getNDManager());
        }
        return model;
    }

    private ProbeInputs probeInputs(String probeSet, AuditRequest request, CheckpointMetadata meta, UniqueFeature uf) {
        Normalisation norm = meta.normalisationValue();
        String key = String.join("|", probeSet, String.valueOf(request.probes()), String.valueOf(request.probeSeed()),
                String.valueOf(request.patchSeed()), Arrays.toString(meta.inputShape()), norm.toString(),
                uf.toSpecString(), String.valueOf(request.textControls()));
        ProbeInputs cached = probes.get(key);
        if (cached != null) {
            return cached;
        }
        ImageSet images = probeProvider.probes(probeSet, request.probes(), request.probeSeed());
        int[] s = meta.inputShape();
        if (!Arrays.equals(images.shape(), s)) {
            throw new IllegalArgumentException("probe set '" + probeSet + "' has images of shape " + Arrays.toString(images.shape())
                    + " but the checkpoint's model expects " + Arrays.toString(s)
                    + " (use " + ProbeDefaults.forShape(s) + " or another preset of that shape)");
        }
        List<UniqueFeature> features = new ArrayList<>();
        features.add(uf);
        features.addAll(ControlFeatures.controlsFor(uf, request.textControls()));
        ProbeInputs built = ProbeInputs.build(images, features, norm, request.patchSeed(), manager);
        probeBuilds++;
        if (probes.size() >= MAX_CACHED_PROBES) {
            String oldest = probes.keySet().iterator().next();
            probes.remove(oldest).close();
        }
        probes.put(key, built);
        return built;
    }

    /** How many times probe batches were built (not taken from the cache). */
    public int probeBuilds() {
        return probeBuilds;
    }

    /** How many networks were built (not reused with reloaded parameters). */
    public int networkBuilds() {
        return networkBuilds;
    }

    /** Engine and device, e.g. "MXNet 1.9.1 on cpu()". */
    public String engineDescription() {
        Engine e = Engine.getInstance();
        return e.getEngineName() + " " + e.getVersion() + " on " + device;
    }

    @Override
    public void close() {
        probes.values().forEach(ProbeInputs::close);
        probes.clear();
        models.values().forEach(Model::close);
        models.clear();
        manager.close();
    }
}
