package io.memaudit.cli.reproduce;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which plots a study gets, from hand-made rows of two variants (no training). */
class StudyPlotsTest {
    @TempDir
    Path dir;

    private static void model(List<ResultRow> rows, GridCell cell, String set, double oracle, double mKl) {
        rows.add(new ResultRow(cell, set, 1, 1, 0.1, 0.9, 5, 100, 0, Scores.ORACLE, oracle, ""));
        rows.add(new ResultRow(cell, cell.isTwin() ? "" : set, 1, 1, 0.1, 0.9, 5, 100, 0, "m_kl", mKl, ""));
    }

    @Test
    void aCanarySetThatTwoVariantsShareGetsPerVariantBarsAndEachComparisonItsRoc() throws Exception {
        List<ResultRow> rows = new ArrayList<>();
        for (String variant : List.of("plain", "bn")) {
            for (long seed = 1; seed <= 2; seed++) {
                model(rows, GridCell.twin("mnist", "mlp", variant, seed), "hard:1", 0.1 * seed, 0.01);
                model(rows, new GridCell("mnist", "mlp", variant, seed, 1, GridCell.HARD), "hard:1", 3 + seed, 0.02);
            }
        }
        // random canaries only for plain: no per-variant plot for random:1
        model(rows, new GridCell("mnist", "mlp", "plain", 1, 1, GridCell.RANDOM), "random:1", 0.0, 0.0);
        model(rows, GridCell.twin("mnist", "mlp", "plain", 1), "random:1", 0.0, 0.0);

        List<String> names = new StudyPlots(new StudyTable(rows), dir).writeAll().stream()
                .map(p -> p.getFileName().toString()).filter(n -> n.startsWith("by-variant-") || n.startsWith("roc-"))
                .sorted().toList();
        assertEquals(List.of("by-variant-mnist-mlp-hard-1-m_kl.png", "by-variant-mnist-mlp-hard-1-oracle.png",
                "roc-mnist-mlp-bn-hard-1.png", "roc-mnist-mlp-plain-hard-1.png", "roc-mnist-mlp-plain-random-1.png"),
                names, "scores without rows (kl_z, m_label, label_z) get no plot");
    }
}
