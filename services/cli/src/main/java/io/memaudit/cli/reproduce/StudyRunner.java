package io.memaudit.cli.reproduce;

import ai.djl.ndarray.NDManager;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.common.scoring.ProbeProvider;
import io.memaudit.common.util.Devices;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs a study: every model of the grid that the results file does not hold complete is trained, audited
 * and appended; then the report is written from the whole file. Killing it loses at most the model in
 * progress, which the next run trains again.
 */
public final class StudyRunner {
    public static final String RESULTS = "results.csv";

    private final StudySettings settings;
    private final StudyData data;
    private final ProbeProvider probes;
    private final Path outDir;
    private final String device;
    private final boolean keepCheckpoints;
    private final PrintStream progress;

    public StudyRunner(StudySettings settings, StudyData data, ProbeProvider probes, Path outDir, String device,
                       boolean keepCheckpoints, PrintStream progress) {
        this.settings = settings;
        this.data = data;
        this.probes = probes;
        this.outDir = outDir;
        this.device = device;
        this.keepCheckpoints = keepCheckpoints;
        this.progress = progress;
    }

    /** What a run did: models trained now, models found complete, and the results file. */
    public record Summary(int trained, int skipped, Path results) { }

    public Summary run() throws IOException {
        ResultsCsv csv = ResultsCsv.open(outDir.resolve(RESULTS));
        List<GridCell> cells = Grid.cells(settings);
        checkCompatible(csv.rows(), cells, settings, csv.file());
        redoTwinsMissingSiblings(csv, cells);
        Set<String> done = csv.completeRuns();
        long todo = cells.stream().filter(c -> !done.contains(c.runId())).count();
        progress.printf(Locale.ROOT, "reproduce: %d models in the grid, %d complete in %s, %d to train%n",
                cells.size(), cells.size() - todo, csv.file(), todo);
        int trained = 0;
        double seconds = 0;
        try (NDManager manager = NDManager.newBaseManager(Devices.parse(device));
             CheckpointScorer scorer = new CheckpointScorer(Devices.parse(device), probes)) {
            ModelRunner runner = new ModelRunner(settings, data, scorer, new WhiteBox(manager), outDir, device,
                    keepCheckpoints);
            for (int i = 0; i < cells.size(); i++) {
                GridCell cell = cells.get(i);
                if (done.contains(cell.runId())) {
                    continue;
                }
                progress.printf(Locale.ROOT, "reproduce: model %d/%d: %s ...%n", i + 1, cells.size(), cell.describe());
                ModelRunner.Outcome o = runner.run(cell);
                csv.appendModel(o.rows());
                trained++;
                seconds += o.seconds();
                progress.printf(Locale.ROOT, "reproduce: model %d/%d: %s: test accuracy %.4f, %.0f s; %d to go, ETA %s%n",
                        i + 1, cells.size(), cell.describe(), o.testAccuracy(), o.seconds(), todo - trained,
                        duration(seconds / trained * (todo - trained)));
            }
        }
        StudyReport.write(csv.rows(), settings, outDir);
        return new Summary(trained, cells.size() - (int) todo, csv.file());
    }

    /**
     * Settings that change every model's numbers must match those of the file's models of the same data
     * set, model and variant (another group may have been run with other settings).
     */
    static void checkCompatible(List<ResultRow> rows, List<GridCell> cells, StudySettings settings, Path file) {
        Set<String> groups = cells.stream().map(GridCell::group).collect(java.util.stream.Collectors.toSet());
        for (ResultRow r : rows) {
            boolean differs = r.epochsMax() != settings.epochs() || r.probes() != settings.probes()
                    || r.trainLimit() != settings.trainLimit();
            if (groups.contains(r.cell().group()) && r.score().equals(Scores.KL_RANK.name())
                    && !r.detail().equals(Integer.toString(settings.controls()))) {
                throw new IllegalArgumentException(file + " holds results of " + r.cell().group() + " audited with "
                        + r.detail() + " controls; this run asks for --controls " + settings.controls()
                        + ": use another --out, or the same settings to resume");
            }
            if (groups.contains(r.cell().group()) && differs) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s holds results of " + r.cell().group() + " with --epochs %d, --probes %d, train limit %d; "
                                + "this run asks for %d, %d, %d: "
                                + "use another --out, or the same settings to resume",
                        file, r.epochsMax(), r.probes(), r.trainLimit(), settings.epochs(),
                        settings.probes(), settings.trainLimit()));
            }
        }
    }

    /** A complete twin lacks oracle rows for a canary set this run adds (e.g. --choices hard later): redo it. */
    private static void redoTwinsMissingSiblings(ResultsCsv csv, List<GridCell> cells) throws IOException {
        List<String> needed = cells.stream().filter(c -> !c.isTwin()).map(GridCell::canarySet).distinct().toList();
        for (GridCell twin : cells.stream().filter(GridCell::isTwin).toList()) {
            List<ResultRow> rows = csv.rows().stream().filter(r -> r.cell().equals(twin)).toList();
            Set<String> have = rows.stream().filter(r -> r.score().equals(Scores.ORACLE)).map(ResultRow::canarySet)
                    .collect(java.util.stream.Collectors.toSet());
            if (!rows.isEmpty() && !have.containsAll(needed)) {
                csv.dropModel(twin.runId());
            }
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
