package io.memaudit.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvWriterTest {
    @TempDir
    Path dir;

    @Test
    void quotesOnlyFieldsThatNeedIt() {
        assertEquals("plain", CsvWriter.quote("plain"));
        assertEquals("\"a,b\"", CsvWriter.quote("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CsvWriter.quote("say \"hi\""));
        assertEquals("\"two\nlines\"", CsvWriter.quote("two\nlines"));
        assertEquals("\"cr\rhere\"", CsvWriter.quote("cr\rhere"));
        assertEquals(" spaced ", CsvWriter.quote(" spaced "));
    }

    @Test
    void formatsNullsNumbersAndTextInOneRecord() {
        assertEquals("1,,0.5,\"x,y\",memorised",
                CsvWriter.formatRecord(Arrays.asList(1, null, 0.5, "x,y", "memorised")));
    }

    @Test
    void writesHeaderAndRowsWithCrlfAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("sub/scores.csv");
        CsvWriter.write(target, List.of("step", "feature", "m_kl"),
                List.of(List.of(100, "A", 0.25), List.of(200, "name, \"Ann\"", -1.5e-3)));
        String text = Files.readString(target, StandardCharsets.UTF_8);
        assertEquals("step,feature,m_kl\r\n100,A,0.25\r\n200,\"name, \"\"Ann\"\"\",-0.0015\r\n", text);
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(List.of(target), files.toList());
        }
    }

    /** Output files get the permissions of any file the user creates (the umask), not a temporary file's 0600. */
    @Test
    void writtenFilesAreReadableLikeAnyOtherFileOfTheUser() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        Path csv = dir.resolve("scores.csv");
        CsvWriter.write(csv, List.of("a"), List.of(List.of(1)));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(csv));
        Path png = dir.resolve("plot.png");
        ChartFiles.writePng(new org.jfree.chart.JFreeChart(new org.jfree.chart.plot.XYPlot()), png, 20, 20);
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(png));
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path target = dir.resolve("t.csv");
        Files.writeString(target, "old content that is longer than the new one\r\n");
        CsvWriter.write(target, List.of("a"), List.of(List.of("1")));
        assertEquals("a\r\n1\r\n", Files.readString(target));
    }

    @Test
    void rejectsARowOfTheWrongLengthNamingTheRow() {
        Path target = dir.resolve("bad.csv");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvWriter.write(target, List.of("a", "b"), List.of(List.of(1, 2), List.of(3))));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        assertTrue(Files.notExists(target));
    }
}
