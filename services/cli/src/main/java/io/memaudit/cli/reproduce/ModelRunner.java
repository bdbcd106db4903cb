package io.memaudit.cli.reproduce;

import io.memaudit.cli.reproduce.Scores.RowContext;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.feature.ControlFeatures;
import io.memaudit.common.feature.FeatureSpec;
import io.memaudit.common.feature.RandomPatches;
import io.memaudit.common.feature.UniqueFeature;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointMetadata.Canary;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.Variant;
import io.memaudit.common.score.Evidence;
import io.memaudit.common.score.SequentialStop;
import io.memaudit.common.scoring.AuditRequest;
import io.memaudit.common.scoring.AuditResult;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.common.util.FileTrees;
import io.memaudit.trainer.CheckpointListener;
import io.memaudit.trainer.TrainConfig;
import io.memaudit.trainer.TrainJob;
import io.memaudit.trainer.TrainResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model of the study from start to rows: trains it (from scratch, into an empty directory), audits
 * every checkpoint, computes the oracle at the best checkpoint, and for a twin ranks the hard canaries.
 */
final class ModelRunner {
    private final StudySettings settings;
    private final StudyData data;
    private final CheckpointScorer scorer;
    private final WhiteBox whiteBox;
    private final Path outDir;
    private final String device;
    private final boolean keepCheckpoints;

    ModelRunner(StudySettings settings, StudyData data, CheckpointScorer scorer, WhiteBox whiteBox, Path outDir,
                String device, boolean keepCheckpoints) {
        this.settings = settings;
        this.data = data;
        this.scorer = scorer;
        this.whiteBox = whiteBox;
        this.outDir = outDir;
        this.device = device;
        this.keepCheckpoints = keepCheckpoints;
    }

    /** A finished model: its rows (the last is its wall time) and its test accuracy. */
    record Outcome(List<ResultRow> rows, double testAccuracy, double seconds) { }

    Outcome run(GridCell cell) throws IOException {
        long t0 = System.nanoTime();
        TrainResult r = train(cell);
        CheckpointMetadata best = CheckpointStore.readMetadata(r.bestCheckpoint());
        Map<String, List<Canary>> sets = canarySets(cell, best, r.bestCheckpoint());
        List<ResultRow> rows = new ArrayList<>(audit(cell, r, sets));
        RowContext at = context(cell, cell.canarySet(), r.bestEpoch(), best);
        ImageSet fullTrain = data.train(cell.dataset());
        UniqueFeature uf = FeatureSpec.parse(settings.feature()).resolve(fullTrain.height(), fullTrain.width());
        Path lastDir = r.checkpoints().get(r.checkpoints().size() - 1);
        CheckpointMetadata last = CheckpointStore.readMetadata(lastDir);
        RowContext atLast = context(cell, cell.canarySet(), r.bestEpoch(), last);
        List<UniqueFeature> controls = ControlFeatures.controlsFor(uf);
        Map<String, WhiteBox.Oracles> oracleBest = whiteBox.oracles(r.bestCheckpoint(), best, fullTrain, sets, uf, controls);
        Map<String, WhiteBox.Oracles> oracleLast = whiteBox.oracles(lastDir, last, fullTrain, sets, uf, controls);
        sets.forEach((set, canaries) -> {
            String detail = "label " + majorityLabel(canaries);
            rows.add(at.forSet(set).row(Scores.ORACLE, oracleBest.get(set).plain(), detail));
            rows.add(atLast.forSet(set).row(Scores.ORACLE_LAST, oracleLast.get(set).plain(), detail));
            rows.add(at.forSet(set).row(Scores.ORACLE_SPECIFIC, oracleBest.get(set).specific(), detail));
            rows.add(atLast.forSet(set).row(Scores.ORACLE_SPECIFIC_LAST, oracleLast.get(set).specific(), detail));
        });
        rows.add(at.row(Scores.TEST_ACCURACY, r.testAccuracy(), ""));
        rows.add(at.row(Scores.EPOCHS_TRAINED, r.checkpoints().size(), r.stoppedEarly() ? "stopped early" : ""));
        rows.add(at.row(Scores.TRAIN_SECONDS, r.seconds(), ""));
        double seconds = (System.nanoTime() - t0) / 1e9;
        rows.add(at.row(Scores.WALL_SECONDS, seconds, ""));
        prune(r);
        return new Outcome(rows, r.testAccuracy(), seconds);
    }

    static Path runDir(Path outDir, GridCell cell) {
        return outDir.resolve("runs").resolve(cell.runId());
    }

    private TrainResult train(GridCell cell) throws IOException {
        Path dir = runDir(outDir, cell);
        FileTrees.deleteRecursively(dir);
        Files.createDirectories(dir);
        TrainConfig config = new TrainConfig(cell.dataset(), cell.model(), Variant.parse(cell.variant()),
                settings.feature(), cell.canaries(), cell.seed(), settings.epochs(), TrainConfig.DEFAULT_BATCH,
                TrainConfig.DEFAULT_LR, settings.patience(), TrainConfig.DEFAULT_L2, settings.trainLimit(), dir,
                cell.runId(), device);
        if (GridCell.HARD.equals(cell.choice())) {
            config = config.withCanaryIndices(HardCanaries.load(outDir, cell.twin()).indices());
        }
        try (PrintStream log = new PrintStream(Files.newOutputStream(dir.resolve("train.log")), true)) {
            return TrainJob.run(config, data.train(cell.dataset()), data.test(cell.dataset()), log,
                    CheckpointListener.NONE);
        }
    }

    /**
     * The canary sets the label scores and the oracle refer to: a canary model's own canaries; for a
     * twin, each sibling's (random: the recorded candidates; hard: the twin's own hardest images).
     */
    private Map<String, List<Canary>> canarySets(GridCell cell, CheckpointMetadata best, Path bestDir) throws IOException {
        Map<String, List<Canary>> sets = new LinkedHashMap<>();
        if (!cell.isTwin()) {
            sets.put(cell.canarySet(), best.canaries());
            return sets;
        }
        List<Canary> hard = settings.choices().contains(GridCell.HARD) ? hardList(cell, bestDir) : List.of();
        for (String set : Grid.siblingSets(settings)) {
            int c = Integer.parseInt(set.substring(set.indexOf(':') + 1));
            List<Canary> pool = set.startsWith(GridCell.HARD) ? hard : best.candidateCanaries();
            sets.put(set, pool.subList(0, Math.min(c, pool.size())));
        }
        return sets;
    }

    private List<Canary> hardList(GridCell twin, Path bestDir) throws IOException {
        ImageSet fullTrain = data.train(twin.dataset());
        int k = settings.canaryCounts().stream().mapToInt(Integer::intValue).max().orElse(1);
        HardCanaries.HardList list = HardCanaries.compute(whiteBox, bestDir, fullTrain, data.test(twin.dataset()),
                twin, settings, k);
        HardCanaries.save(outDir, twin, list);
        return list.indices().stream().map(i -> new Canary(i, fullTrain.label(i))).toList();
    }

    /**
     * Every checkpoint, in order: label-free scores once, label scores once per canary set (one audit
     * per label). The verdict row is the shipped rule's, confirmed with this run's earlier checkpoints
     * as a live worker confirms it; the report replays the alert paths from these rows ({@link RunAlerts}).
     */
    private List<ResultRow> audit(GridCell cell, TrainResult r, Map<String, List<Canary>> sets) {
        List<ResultRow> rows = new ArrayList<>();
        List<Evidence> history = new ArrayList<>(); // most recent first
        for (Path dir : r.checkpoints()) {
            CheckpointMetadata meta = CheckpointStore.readMetadata(dir);
            RowContext ctx = context(cell, cell.canarySet(), r.bestEpoch(), meta);
            Map<Integer, AuditResult> byLabel = new LinkedHashMap<>();
            // the same audit stopping early: compared with the fixed-N one in the report (SequentialComparison)
            Map<Integer, AuditResult> sequentialByLabel = new LinkedHashMap<>();
            sets.forEach((set, canaries) -> {
                int label = majorityLabel(canaries);
                boolean first = !byLabel.containsKey(label);
                AuditResult a = byLabel.computeIfAbsent(label, l -> scorer.score(dir, meta, request(cell, l)));
                rows.addAll(Scores.labelKnown(ctx.forSet(set), a, label));
                if (first) {
                    sequentialByLabel.put(label, scorer.score(dir, meta, request(cell, label), SequentialStop.DEFAULT));
                }
                rows.addAll(Scores.sequential(ctx.forSet(set), sequentialByLabel.get(label), label, SequentialStop.DEFAULT));
            });
            AuditResult any = byLabel.isEmpty() ? scorer.score(dir, meta, request(cell, null))
                    : byLabel.values().iterator().next();
            any = any.confirmedBy(scorer.rule(), history);
            history.add(0, any.evidence());
            rows.addAll(Scores.labelFree(ctx, any));
            // memaudit 0.1 (K = 25, per-checkpoint rule): the "before" of docs/REPRODUCTION.md
            rows.addAll(Scores.defaultControlsView(ctx, any, Scores.withDefaultControls(any)));
        }
        return rows;
    }

    private AuditRequest request(GridCell cell, Integer label) {
        return new AuditRequest(settings.feature(), data.probeSet(cell.dataset()), settings.probes(),
                AuditRequest.DEFAULT_PROBE_SEED, RandomPatches.DEFAULT_SEED, null, label).withControls(settings.controls());
    }

    private RowContext context(GridCell cell, String set, int bestEpoch, CheckpointMetadata meta) {
        CheckpointMetadata.Metrics m = meta.metrics();
        return new RowContext(cell, set, meta.epoch(), bestEpoch, m.valLoss(), m.valAccuracy(), settings);
    }

    /** The trainer's rule for the feature's label: the most frequent canary label, ties to the smaller. */
    static int majorityLabel(List<Canary> canaries) {
        int[] counts = new int[1 + canaries.stream().mapToInt(Canary::label).max().orElse(0)];
        canaries.forEach(c -> counts[c.label()]++);
        int best = 0;
        for (int c = 1; c < counts.length; c++) {
            if (counts[c] > counts[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Keeps the best checkpoint (the twin's hard list and any later look need it) unless asked to keep all. */
    private void prune(TrainResult r) throws IOException {
        if (keepCheckpoints) {
            return;
        }
        for (Path dir : r.checkpoints()) {
            if (!dir.equals(r.bestCheckpoint())) {
                FileTrees.deleteRecursively(dir);
            }
        }
    }
}
