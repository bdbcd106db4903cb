package io.memaudit.cli.reproduce;

import io.memaudit.common.data.ImageSet;
import io.memaudit.common.data.SyntheticImages;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.scoring.ProbeProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny study on generated images: the grid end to end, the oracle's images, resume after a kill. */
class StudyRunnerTest {
    static final ImageSet TRAIN = SyntheticImages.generate("synthetic/train", 500, 1, 28, 28, 10, 1);
    static final ImageSet TEST = SyntheticImages.generate("synthetic/test", 100, 1, 28, 28, 10, 2);
    static final ImageSet PROBES = SyntheticImages.generate("probes", 60, 1, 28, 28, 10, 3);
    static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());
    static final StudyData DATA = new StudyData() {
        @Override public ImageSet train(String dataset) { return TRAIN; }
        @Override public ImageSet test(String dataset) { return TEST; }
        @Override public String probeSet(String dataset) { return "synthetic"; }
    };
    static final ProbeProvider PROBE_PROVIDER = (name, n, seed, shape) -> PROBES.subset(name,
            java.util.stream.IntStream.range(0, n).toArray());
    static final StudySettings SETTINGS = StudySettings.quick().withSeeds(List.of(1L, 2L)).withCanaries(List.of(1))
            .withChoices(List.of("random", "hard")).withEpochs(2).withProbes(40);

    @TempDir
    static Path out;
    static StudyRunner.Summary first;
    static List<ResultRow> rows;

    @BeforeAll
    static void runTheStudy() throws Exception {
        first = new StudyRunner(SETTINGS, DATA, PROBE_PROVIDER, out, "cpu", false, QUIET).run();
        rows = ResultsCsv.read(out.resolve(StudyRunner.RESULTS));
    }

    private static List<ResultRow> rowsOf(GridCell cell, String score) {
        return rows.stream().filter(r -> r.cell().equals(cell) && r.score().equals(score)).toList();
    }

    @Test
    void everyModelIsTrainedAuditedOnEveryCheckpointAndReported() throws Exception {
        assertEquals(6, first.trained(), "2 seeds x (twin, 1 random, 1 hard canary)");
        for (GridCell cell : Grid.cells(SETTINGS)) {
            assertEquals(1, rowsOf(cell, Scores.WALL_SECONDS).size(), cell.runId());
            assertEquals(List.of(1, 2), rowsOf(cell, "m_kl").stream().map(ResultRow::epoch).toList(), "trajectory");
            assertEquals(1, rowsOf(cell, "m_kl").stream().filter(ResultRow::isBest).count(), "one headline checkpoint");
            try (Stream<Path> s = Files.list(ModelRunner.runDir(out, cell))) {
                assertEquals(1, s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).count(), "only the best is kept");
            }
        }
        GridCell twin = GridCell.twin("mnist", "mlp", "plain", 1);
        assertEquals(List.of("random:1", "hard:1"), rowsOf(twin, Scores.ORACLE).stream().map(ResultRow::canarySet).toList(),
                "the twin's oracle is taken on each sibling's images");
        assertEquals(4, rowsOf(twin, "m_label").size(), "2 checkpoints x 2 sibling sets");
        assertTrue(Files.readString(out.resolve("REPORT.md")).contains("| mnist/mlp/plain | hard:1 | 2 / 2 |"));
        assertTrue(Files.size(out.resolve("plots/roc-mnist-mlp-plain-random-1.png")) > 1000);
        assertTrue(Files.exists(out.resolve("plots/trajectory-mnist-mlp-plain-hard-1-m_kl.png")));
        assertTrue(Files.exists(out.resolve("summary-detection.csv")));
        assertRulesCountWhatTheRowsSay();
        assertRunAlertsCountTheWorkersAlertRows();
    }

    /** The rules table's first rule is the verdict: its counts must equal the verdict table's, recounted here. */
    /**
     * The run-level table is replayed from the rows: a twin counts on the label-unknown verdict path
     * exactly when the shipped rule, applied here to its M_KL ranks in epoch order, says memorised at
     * some checkpoint.
     */
    private static void assertRunAlertsCountTheWorkersAlertRows() throws Exception {
        long twinsMemorised = java.util.stream.Stream.of(1L, 2L).filter(seed -> {
            GridCell twin = GridCell.twin("mnist", "mlp", "plain", seed);
            List<io.memaudit.common.score.Evidence> ranks = rowsOf(twin, Scores.KL_RANK.name()).stream()
                    .filter(r -> r.canarySet().equals(twin.canarySet()))
                    .map(r -> new io.memaudit.common.score.Evidence(io.memaudit.common.score.Evidence.Statistic.KL_RANK,
                            (int) r.value(), Integer.parseInt(r.detail()))).toList();
            return RunAlerts.verdicts(io.memaudit.common.score.MemorisationRule.DEFAULT, ranks).contains(
                    io.memaudit.common.score.Verdict.MEMORISED);
        }).count();
        String csv = Files.readString(out.resolve("summary-run-alerts.csv"));
        assertTrue(csv.contains("mnist/mlp/plain,twins (clean)," + RunAlerts.VERDICT_KL + "," + twinsMemorised + ",2,"), csv);
        assertTrue(csv.contains("mnist/mlp/plain,twin checkpoints (clean)," + RunAlerts.VERDICT_KL + ","), csv);
        assertTrue(Files.readString(out.resolve("REPORT.md")).contains("## Alerts over whole runs"));
        GridCell twin = GridCell.twin("mnist", "mlp", "plain", 1);
        List<ResultRow> specific = rowsOf(twin, Scores.ORACLE_SPECIFIC);
        assertEquals(List.of("random:1", "hard:1"), specific.stream().map(ResultRow::canarySet).toList(), "both oracles per sibling set");
    }

    private static void assertRulesCountWhatTheRowsSay() throws Exception {
        List<String> lines = Files.readAllLines(out.resolve("summary-rules.csv"));
        long twinsFlagged = rows.stream().filter(r -> r.cell().isTwin() && r.isBest()
                && r.score().equals(Scores.VERDICT) && r.value() > 0.5).count();
        long canariesFlagged = rows.stream().filter(r -> !r.cell().isTwin() && r.cell().canarySet().equals("hard:1")
                && r.isBest() && r.score().equals(Scores.VERDICT) && r.value() > 0.5).count();
        String verdictRow = lines.stream().filter(l -> l.startsWith("mnist/mlp/plain,hard:1,verdict")).findFirst()
                .orElseThrow(() -> new AssertionError("no verdict row for hard:1 in " + lines));
        assertEquals("mnist/mlp/plain,hard:1,verdict (rank 1 of M_KL; both p < 0.01),2," + canariesFlagged + ",2,"
                + twinsFlagged, verdictRow);
        assertEquals(1 + 2 * VerdictRules.ALL.size(), lines.size(), "header + (2 sets x rules), no pooled rows for one group");
    }

    @Test
    void canaryImagesAreTheTwinsCandidatesOrItsHardestImages() throws Exception {
        GridCell twin = GridCell.twin("mnist", "mlp", "plain", 2);
        CheckpointMetadata t = best(twin);
        CheckpointMetadata random = best(new GridCell("mnist", "mlp", "plain", 2, 1, GridCell.RANDOM));
        CheckpointMetadata hard = best(new GridCell("mnist", "mlp", "plain", 2, 1, GridCell.HARD));
        assertEquals(t.candidateCanaries().get(0), random.canaries().get(0));
        HardCanaries.HardList list = HardCanaries.load(out, twin);
        assertEquals(list.indices().get(0), hard.canaries().get(0).index());
        assertTrue(list.losses().get(0) > -Math.log(0.5), "the hardest image is one the twin gets wrong, loss "
                + list.losses().get(0));
        assertTrue(rowsOf(new GridCell("mnist", "mlp", "plain", 2, 1, GridCell.HARD), Scores.ORACLE).get(0).value()
                != rowsOf(twin, Scores.ORACLE).get(1).value());
    }

    private static CheckpointMetadata best(GridCell cell) throws Exception {
        try (Stream<Path> s = Files.list(ModelRunner.runDir(out, cell))) {
            Path ckpt = s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).findFirst().orElseThrow();
            return CheckpointStore.readMetadata(ckpt);
        }
    }

    @Test
    void aKilledRunResumesWithTheModelInProgressAndNothingTwice(@TempDir Path copy) throws Exception {
        Files.copy(out.resolve(StudyRunner.RESULTS), copy.resolve(StudyRunner.RESULTS));
        Files.createDirectories(copy.resolve("hard"));
        try (Stream<Path> s = Files.list(out.resolve("hard"))) {
            for (Path p : s.toList()) {
                Files.copy(p, copy.resolve("hard").resolve(p.getFileName()));
            }
        }
        GridCell lastModel = Grid.cells(SETTINGS).get(5);
        assertEquals("mnist-mlp-plain-s2-c1-hard", lastModel.runId());
        killDuring(copy.resolve(StudyRunner.RESULTS), lastModel);
        Files.createDirectories(ModelRunner.runDir(copy, lastModel).resolve("ckpt-0009"));
        StudyRunner.Summary again = new StudyRunner(SETTINGS, DATA, PROBE_PROVIDER, copy, "cpu", false, QUIET).run();
        assertEquals(1, again.trained());
        assertEquals(5, again.skipped());
        List<ResultRow> resumed = ResultsCsv.read(copy.resolve(StudyRunner.RESULTS));
        for (GridCell cell : Grid.cells(SETTINGS)) {
            assertEquals(1, resumed.stream().filter(r -> r.cell().equals(cell) && r.score().equals(Scores.WALL_SECONDS))
                    .count(), cell.runId());
        }
        assertTrue(Files.notExists(ModelRunner.runDir(copy, lastModel).resolve("ckpt-0009")), "retrained from scratch");
        assertEquals(mKl(rows, lastModel), mKl(resumed, lastModel), "the retrained model is the same model");
        assertEquals(0, new StudyRunner(SETTINGS, DATA, PROBE_PROVIDER, copy, "cpu", false, QUIET).run().trained());
    }

    /** Leaves the file as a kill during the last model's append would: its rows but the last, and a torn line. */
    private static void killDuring(Path csv, GridCell cell) throws Exception {
        List<String> lines = new ArrayList<>(List.of(Files.readString(csv, StandardCharsets.UTF_8).split("\r\n")));
        int wall = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(cell.runId()) && lines.get(i).contains(Scores.WALL_SECONDS)) {
                wall = i;
            }
        }
        assertTrue(wall > 0);
        lines.set(wall, lines.get(wall).substring(0, 20));
        Files.writeString(csv, String.join("\r\n", lines.subList(0, wall + 1)), StandardCharsets.UTF_8);
    }

    private static List<Double> mKl(List<ResultRow> rs, GridCell cell) {
        return rs.stream().filter(r -> r.cell().equals(cell) && r.score().equals("m_kl")).map(ResultRow::value).toList();
    }

    @Test
    void anotherGroupMayUseOtherSettingsInTheSameFile() {
        List<GridCell> cifar = Grid.cells(SETTINGS.withDatasets(List.of("cifar10")));
        StudyRunner.checkCompatible(rows, cifar, SETTINGS.withEpochs(10).withProbes(500), out.resolve(StudyRunner.RESULTS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudyRunner.checkCompatible(
                rows, Grid.cells(SETTINGS), SETTINGS.withProbes(500), out.resolve(StudyRunner.RESULTS)));
        assertTrue(e.getMessage().contains("mnist/mlp/plain") && e.getMessage().contains("--probes 40"), e.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> StudyRunner.checkCompatible(
                rows, Grid.cells(SETTINGS), SETTINGS.withControls(99), out.resolve(StudyRunner.RESULTS)));
        assertTrue(k.getMessage().contains("audited with " + io.memaudit.common.feature.ControlFeatures.K + " controls") && k.getMessage().contains("--controls 99"), k.getMessage());
    }

    @Test
    void otherSettingsOnTheSameDirectoryAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StudyRunner(SETTINGS.withEpochs(3), DATA, PROBE_PROVIDER, out, "cpu", false, QUIET).run());
        assertTrue(e.getMessage().contains("--epochs 2"), e.getMessage());
    }
}
