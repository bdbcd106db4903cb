package io.memaudit.cli.reproduce;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The results file: round trip, and what a killed run leaves behind is dropped on the next open. */
class ResultsCsvTest {
    private static final StudySettings S = StudySettings.quick();
    private static final GridCell TWIN = GridCell.twin("mnist", "mlp", "plain", 1);
    private static final GridCell CANARY = new GridCell("mnist", "mlp", "plain", 1, 1, GridCell.RANDOM);

    @TempDir
    Path tmp;

    private static List<ResultRow> model(GridCell cell) {
        Scores.RowContext c = new Scores.RowContext(cell, cell.canarySet(), 2, 2, 0.1, 0.97, S);
        return List.of(c.row("m_kl", -0.0012, ""), c.row(Scores.VERDICT, 0, "not-memorised"),
                c.row("kl_z", Double.POSITIVE_INFINITY, "a, \"quoted\" detail"), c.row(Scores.WALL_SECONDS, 12.5, ""));
    }

    @Test
    void rowsRoundTripThroughTheFile() throws Exception {
        Path f = tmp.resolve("results.csv");
        ResultsCsv csv = ResultsCsv.open(f);
        csv.appendModel(model(TWIN));
        List<ResultRow> back = ResultsCsv.read(f);
        assertEquals(model(TWIN), back);
        assertEquals(Double.POSITIVE_INFINITY, back.get(2).value());
        assertEquals("a, \"quoted\" detail", back.get(2).detail());
        assertEquals(java.util.Set.of(TWIN.runId()), ResultsCsv.open(f).completeRuns());
    }

    @Test
    void aKilledRunsTornLineAndIncompleteModelAreDropped() throws Exception {
        Path f = tmp.resolve("results.csv");
        ResultsCsv.open(f).appendModel(model(TWIN));
        List<ResultRow> partial = model(CANARY).subList(0, 2);
        StringBuilder sb = new StringBuilder();
        partial.forEach(r -> sb.append(io.memaudit.cli.report.CsvWriter.formatRecord(r.fields())).append("\r\n"));
        sb.append("mnist,mlp,plain,1,1,random,canary,random:1,mnist-mlp-pl");
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        ResultsCsv reopened = ResultsCsv.open(f);
        assertEquals(model(TWIN), reopened.rows(), "only the complete model survives");
        assertEquals(model(TWIN), ResultsCsv.read(f), "and the file itself was cleaned");
        assertTrue(Files.readString(f).endsWith("\r\n"));
    }

    @Test
    void aModelMustEndWithItsWallTimeAndAForeignFileIsRefused() throws Exception {
        ResultsCsv csv = ResultsCsv.open(tmp.resolve("results.csv"));
        assertThrows(IllegalArgumentException.class, () -> csv.appendModel(model(TWIN).subList(0, 2)));
        Path other = tmp.resolve("other.csv");
        Files.writeString(other, "a,b\r\n1,2\r\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.open(other));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
    }

    @Test
    void splitHandlesQuotes() {
        assertEquals(List.of("a", "b,c", "d\"e", ""), ResultsCsv.split("a,\"b,c\",\"d\"\"e\","));
    }
}
