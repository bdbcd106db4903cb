package io.memaudit.cli.reproduce;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run-level paths replayed from rows (the Prometheus one by promtool, hence ops): which ranks make which run alert, per checkpoint and per run. */
@org.junit.jupiter.api.Tag("ops")
class RunAlertsTest {
    private static final GridCell TWIN = GridCell.twin("mnist", "mlp", "plain", 7);
    private static final GridCell CANARY = new GridCell("mnist", "mlp", "plain", 7, 1, "hard");

    @TempDir
    Path tmp;

    private static ResultRow row(GridCell cell, String set, int epoch, String score, double value, String detail) {
        return new ResultRow(cell, set, epoch, 3, 0.1, 0.9, 3, 100, 0, score, value, detail);
    }

    /** Three checkpoints with the given M_KL ranks and, per canary set, label ranks (K = 199). */
    private static List<ResultRow> run(GridCell cell, int[] klRanks, String set, int[] labelRanks) {
        List<ResultRow> rows = new ArrayList<>();
        for (int e = 1; e <= klRanks.length; e++) {
            rows.add(row(cell, cell.canarySet(), e, Scores.M_KL.name(), 0.01, ""));
            rows.add(row(cell, cell.canarySet(), e, Scores.KL_RANK.name(), klRanks[e - 1], "199"));
            rows.add(row(cell, set, e, Scores.LABEL_RANK.name(), labelRanks[e - 1], "label 3"));
        }
        return rows;
    }

    @Test
    void aTwinIsJudgedWithItsSiblingsLabelAndTheRuleNeedsTwoCheckpoints() {
        List<ResultRow> rows = new ArrayList<>();
        rows.addAll(run(TWIN, new int[] {90, 1, 1}, "hard:1", new int[] {1, 50, 2})); // label: never two in a row
        rows.addAll(run(CANARY, new int[] {90, 80, 70}, "hard:1", new int[] {40, 2, 1}));
        List<RunAlerts.RunResult> runs = RunAlerts.runs(rows, RuleReplayTest.RULES, tmp, new StringBuilder());
        RunAlerts.RunResult twin = runs.stream().filter(r -> r.cell().isTwin()).findFirst().orElseThrow();
        RunAlerts.RunResult canary = runs.stream().filter(r -> !r.cell().isTwin()).findFirst().orElseThrow();
        assertFalse(twin.fired().contains(RunAlerts.VERDICT_LABEL), twin.toString());
        assertTrue(twin.fired().contains(RunAlerts.VERDICT_KL), "M_KL rank 1 at epochs 2 and 3: " + twin);
        assertEquals(1, twin.memorisedCheckpoints().get(RunAlerts.VERDICT_KL));
        assertEquals(3, twin.audits(RunAlerts.VERDICT_LABEL));
        assertTrue(canary.fired().contains(RunAlerts.VERDICT_LABEL), canary.toString());
        assertTrue(canary.fired().contains("worker memorised"), "the worker pages on the label-known verdict: " + canary);
        assertFalse(canary.fired().contains(RunAlerts.VERDICT_KL));
        assertTrue(canary.fired().contains("prometheus MemorisationVerdict"), canary.toString());
    }
}
