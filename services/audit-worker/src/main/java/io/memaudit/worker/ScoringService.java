package io.memaudit.worker;

import io.memaudit.common.data.DatasetException;
import io.memaudit.common.data.ProbeSets;
import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.feature.ControlFeatures;
import io.memaudit.common.feature.FeatureSpec;
import io.memaudit.common.events.AuditException;
import io.memaudit.common.model.Checkpoint;
import io.memaudit.common.model.ModelSpec;
import io.memaudit.common.model.format.ModelFormats;
import io.memaudit.common.scoring.DataSetProbes;
import io.memaudit.common.scoring.AuditRequest;
import io.memaudit.common.scoring.AuditResult;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.common.scoring.ScoreEvents;
import io.memaudit.common.feature.RandomPatches;
import io.memaudit.worker.source.CheckpointSources;
import io.memaudit.worker.source.StagedFile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores one checkpoint event on one device: locates and checks the files, recognises checkpoints
 * already scored, runs the scorer for each feature, and builds the score events. Runs on the device's
 * scoring thread only.
 */
public final class ScoringService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScoringService.class);

    private final CheckpointScorer scorer;
    private final CheckpointSources sources;
    private final ScoreLedger ledger;
    private final String workerId;
    private final Limits limits;
    private final WorkerMetrics metrics;
    /** (run, feature) already warned about too few controls for the verdict: once each. */
    private final java.util.Set<String> tooFewControls = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** What one event may ask of this worker: N (memaudit.scoring.probes.max) and K (memaudit.scoring.controls.max). */
    public record Limits(int maxProbes, int maxControls) { }

    public ScoringService(CheckpointScorer scorer, CheckpointSources sources, ScoreLedger ledger,
                          String workerId, Limits limits, WorkerMetrics metrics) {
        this.sources = sources;
        this.metrics = metrics;
        this.scorer = scorer;
        this.ledger = ledger;
        this.workerId = workerId;
        this.limits = limits;
    }

    /**
     * Every line logged meanwhile carries the run id and step (and the feature being scored) in its MDC.
     *
     * @throws AuditException with the dead-letter kind when the event cannot be scored
     */
    public List<ScoreEvent> score(CheckpointEvent e) {
        try (CheckpointMdc ignored = CheckpointMdc.of(e.runId(), e.step())) {
            return stageAndScore(e);
        }
    }

    private List<ScoreEvent> stageAndScore(CheckpointEvent e) {
        ModelSpec spec = EventMapping.spec(e);
        // local copies and the URIs the event named them by: messages name the user's, not the worker's
        Map<String, String> localNames = new LinkedHashMap<>();
        String probeSet = probeSet(e.audit(), localNames); // the event's limits, before any byte of the model is read
        // one read of the model: copied into private staging, hashed on the way; the load reads the copy
        try (StagedFile staged = sources.stage(e.model().uri(), "model.uri", ModelFormats.of(spec.format()).defaultFileName())) {
            String expected = e.model().sha256();
            if (expected != null && !expected.equalsIgnoreCase(staged.sha256())) {
                throw new AuditException(ErrorKind.CHECKPOINT_CORRUPT, e.model().uri() + " is corrupt or was modified: SHA-256 "
                        + staged.sha256() + " does not match the event's model.sha256 " + expected);
            }
            Checkpoint ckpt = new Checkpoint(e.runId(), e.epoch(), e.step(), staged.file(), staged.sha256(), spec, null, true);
            localNames.put(staged.file().toString(), e.model().uri());
            try {
                return score(e, spec, ckpt, probeSet, localNames);
            } catch (AuditException ex) {
                throw renamed(ex, localNames);
            }
        }
    }

    /** Load, shape and decoding errors name the file they read: name the user's instead of the private copy. */
    private static AuditException renamed(AuditException ex, Map<String, String> localNames) {
        String m = ex.getMessage();
        if (m == null) {
            return ex;
        }
        String named = m;
        for (Map.Entry<String, String> n : localNames.entrySet()) {
            named = named.replace(n.getKey(), n.getValue());
        }
        return named.equals(m) ? ex : new AuditException(ex.kind(), named, ex);
    }

    private List<ScoreEvent> score(CheckpointEvent e, ModelSpec spec, Checkpoint ckpt, String probeSet, Map<String, String> localNames) {
        CheckpointEvent.Audit audit = e.audit();
        List<ScoreEvent> out = new ArrayList<>();
        for (int i = 0; i < audit.features().size(); i++) {
            CheckpointEvent.Feature f = audit.features().get(i);
            // image and mask through the same sources as the model, kept by content (see Staging.keep)
            String featureSpec = EventMapping.featureSpec(f, (uri, field) -> {
                String local = sources.stageKept(uri, field).toString();
                localNames.put(local, uri);
                return local;
            }, i);
            String featureId = featureId(f, featureSpec, EventMapping.featureSpec(f, EventMapping::named, i), spec, i);
            try (CheckpointMdc ignored = CheckpointMdc.feature(featureId)) {
                out.add(scoreOnce(e, ckpt, probeSet, featureSpec, featureId, f));
            }
        }
        return out;
    }

    /** The feature's score, or the earlier one (marked duplicate) when this checkpoint was scored before. */
    private ScoreEvent scoreOnce(CheckpointEvent e, Checkpoint ckpt, String probeSet, String featureSpec, String featureId,
                                 CheckpointEvent.Feature f) {
        ScoreEvent earlier = ledger.find(e.runId(), e.step(), featureId, ckpt.sha256());
        if (earlier != null) {
            LOG.info("run {} step {} {}: already scored (duplicate delivery)", e.runId(), e.step(), featureId);
            return earlier.asDuplicate();
        }
        ScoreEvent s = scoreFeature(e, ckpt, probeSet, featureSpec, featureId, f);
        ledger.record(s);
        return s;
    }

    private ScoreEvent scoreFeature(CheckpointEvent e, Checkpoint ckpt, String probeSet, String spec, String featureId,
                                    CheckpointEvent.Feature f) {
        CheckpointEvent.Audit audit = e.audit();
        AuditResult r;
        try {
            AuditRequest request = new AuditRequest(spec, probeSet, audit.probes(), AuditRequest.DEFAULT_PROBE_SEED,
                    RandomPatches.DEFAULT_SEED, null, f.label(), f.scale(),
                    audit.controls() != null ? audit.controls() : ControlFeatures.K);
            r = scorer.score(ckpt, request);
            r = r.confirmedBy(scorer.rule(), ledger.earlier(e.runId(), featureId, e.step(), scorer.rule().lookBack())
                    .stream().map(ScoreEvent::evidenceValue).toList());
        } catch (DatasetException ex) {
            ErrorKind kind = probeSet != null && probeSet.startsWith(DataSetProbes.DIR_PREFIX) ? ErrorKind.UNKNOWN_PROBE_SET
                    : ErrorKind.SCORING_FAILED;
            throw new AuditException(kind, "probe set " + audit.probeSet() + ": " + ex.getMessage(), ex);
        } catch (IllegalArgumentException ex) { // not one of the checked faults, which arrive as AuditException
            throw new AuditException(ErrorKind.SCORING_FAILED, "scoring failed: " + ex.getMessage(), ex);
        }
        metrics.durations(r.totalMillis(), r.loadMillis());
        if (r.evidence().controls() < scorer.rule().minControls() && tooFewControls.add(e.runId() + '\u0000' + featureId)) {
            LOG.warn(String.format(Locale.ROOT, "run %s %s: with %d controls the p-value cannot go below 1/%d = %.3f, above "
                    + "memaudit.verdict.alpha = %s: the verdict can never be memorised; ask for audit.controls >= %d",
                    e.runId(), featureId, r.evidence().controls(), r.evidence().controls() + 1, 1.0 / (r.evidence().controls() + 1),
                    scorer.rule().alpha(), scorer.rule().minControls()));
        }
        ScoreEvent first = ledger.first(e.runId(), featureId);
        Double delta = first == null || first.step() > e.step() ? 0.0 : r.scores().mKl() - first.mKl();
        String early = r.controlProbes() < r.scores().n() ? " on " + r.controlProbes() + " of " + r.scores().n() + " probes" : "";
        LOG.info(String.format(Locale.ROOT, "run %s step %d %s: M_KL %.5f %s %d/%d (p %.3f%s) %s (%.0f ms)", e.runId(),
                e.step(), featureId, r.scores().mKl(), r.evidence().statistic().wire(), r.evidence().rank(),
                r.evidence().controls() + 1, r.evidence().p(), early, r.verdict().wire(), r.totalMillis()));
        ScoreEvent s = ScoreEvents.of(r, featureId, delta, scorer.engineDescription(), workerId);
        // a dir: probe set was resolved to a local path: report it as the trainer named it
        return audit.probeSet() != null && audit.probeSet().startsWith(DataSetProbes.DIR_PREFIX) ? s.withProbeSet(audit.probeSet()) : s;
    }

    /**
     * The probe set to build: a preset (checked by name), {@code dir:<uri>} turned by its source into
     * {@code dir:<local directory>}, or null for the default of the model's shape.
     */
    private String probeSet(CheckpointEvent.Audit audit, Map<String, String> localNames) {
        if (audit.probes() > limits.maxProbes()) {
            throw new AuditException(ErrorKind.SCHEMA_VIOLATION, "audit.probes = " + audit.probes()
                    + " is over this worker's limit memaudit.scoring.probes.max = " + limits.maxProbes());
        }
        if (audit.controls() != null && audit.controls() > limits.maxControls()) {
            throw new AuditException(ErrorKind.SCHEMA_VIOLATION, "audit.controls = " + audit.controls()
                    + " is over this worker's limit memaudit.scoring.controls.max = " + limits.maxControls());
        }
        String name = audit.probeSet();
        if (name == null) {
            return null;
        }
        if (name.startsWith(DataSetProbes.DIR_PREFIX)) {
            String uri = name.substring(DataSetProbes.DIR_PREFIX.length());
            String local = sources.stageDirectory(uri, "audit.probeSet").toString();
            localNames.put(local, uri);
            return DataSetProbes.DIR_PREFIX + local;
        }
        try {
            ProbeSets.preset(name);
        } catch (IllegalArgumentException ex) {
            throw new AuditException(ErrorKind.UNKNOWN_PROBE_SET, "audit.probeSet: " + ex.getMessage());
        }
        return name;
    }

    /**
     * The event's own id for the feature when it gives one, else the resolved feature's id; an image
     * feature's id names its files as the event does ({@code named}), not by the local copies.
     */
    private static String featureId(CheckpointEvent.Feature f, String spec, String named, ModelSpec model, int i) {
        if (f.id() != null && !f.id().isBlank()) {
            return f.id();
        }
        try {
            int[] s = model.inputShape();
            String resolved = FeatureSpec.parse(spec).resolve(s[1], s[2]).id(); // also checks that it fits the image
            return "image".equals(f.kind()) ? FeatureSpec.parse(named).id() : resolved;
        } catch (IllegalArgumentException ex) {
            throw new AuditException(ErrorKind.FEATURE_INVALID, "audit.features[" + i + "]: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() {
        scorer.close();
    }
}
