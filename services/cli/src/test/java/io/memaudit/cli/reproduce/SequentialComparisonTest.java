package io.memaudit.cli.reproduce;

import io.memaudit.common.score.SequentialStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's comparison says which stop the study ran with, read from its rows, not today's default. */
class SequentialComparisonTest {
    private static final GridCell TWIN = GridCell.twin("mnist", "mlp", "plain", 7);

    private static ResultRow row(int epoch, String score, double value, String detail) {
        return row(TWIN.canarySet(), epoch, score, value, detail);
    }

    private static ResultRow row(String set, int epoch, String score, double value, String detail) {
        return new ResultRow(TWIN, set, epoch, 3, 0.1, 0.9, 3, 2000, 0, score, value, detail);
    }

    /** Three checkpoints: fixed and sequential label ranks, and the sequential audits' probes, as ModelRunner writes them. */
    private static List<ResultRow> rows(SequentialStop stop, int[] probes) {
        List<ResultRow> rows = new ArrayList<>();
        for (int e = 1; e <= probes.length; e++) {
            rows.add(row(e, Scores.M_KL.name(), 0.01, ""));
            rows.add(row(e, Scores.KL_RANK.name(), 90, "199"));
            rows.add(row("hard:1", e, Scores.LABEL_RANK.name(), 60, "label 3"));
            rows.add(row("hard:1", e, Scores.LABEL_RANK_SEQUENTIAL, 60, "label 3"));
            String detail = stop == null ? "label 3" : Scores.probesDetail(3, stop);
            rows.add(row("hard:1", e, Scores.PROBES_SEQUENTIAL, probes[e - 1], detail));
        }
        return rows;
    }

    @Test
    void theStopRecordedInTheRowsIsTheOneReported() {
        SequentialStop stop = new SequentialStop(125, 1e-3);
        SequentialComparison.Result r = SequentialComparison.compute(rows(stop, new int[] {125, 125, 375}), 1.0);
        assertEquals(stop, r.stop());
        assertEquals("125 in 2, 375 in 1", r.probeCounts());
        String md = SequentialComparison.markdown(r, 1.0);
        assertTrue(md.contains("a block of 125"), md);
        assertTrue(md.contains("125 in 2, 375 in 1"), md);
        assertEquals(3, r.agreement()[0][0], "three clean checkpoints, not significant under both");
    }

    @Test
    void studiesFromBeforeTheStopWasRecordedRanBlocksOf250() {
        SequentialComparison.Result r = SequentialComparison.compute(rows(null, new int[] {250, 500}), 1.0);
        assertEquals(new SequentialStop(250, 1e-3), r.stop());
    }

    @Test
    void aStudyWithoutSequentialAuditsHasNoComparison() {
        assertNull(SequentialComparison.compute(List.of(row(1, Scores.KL_RANK.name(), 90, "199")), 1.0));
        assertEquals("", SequentialComparison.markdown(null, 1.0));
    }

    @Test
    void aRowsStopSurvivesTheCsv(@TempDir Path tmp) throws Exception {
        SequentialStop stop = new SequentialStop(125, 2.5e-4);
        assertEquals("label 3; stop 125/2.5E-4", Scores.probesDetail(3, stop));
        Path csv = tmp.resolve("results.csv");
        List<ResultRow> model = new ArrayList<>(rows(stop, new int[] {125}));
        model.add(row(1, Scores.WALL_SECONDS, 12.0, ""));
        ResultsCsv.open(csv).appendModel(model);
        ResultRow back = ResultsCsv.read(csv).stream().filter(r -> r.score().equals(Scores.PROBES_SEQUENTIAL)).findFirst().orElseThrow();
        assertEquals(stop, Scores.stopOf(back));
    }
}
