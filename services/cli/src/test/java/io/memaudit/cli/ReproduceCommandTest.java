package io.memaudit.cli;

import io.memaudit.cli.reproduce.StudySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reproduce command's options: presets, filters, seed ranges, and errors that name the option. */
class ReproduceCommandTest {
    @TempDir
    Path tmp;

    private static ReproduceCommand parse(String... args) {
        ReproduceCommand c = new ReproduceCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void filtersReplaceThePresetsFields() {
        StudySettings s = parse("--preset", "paper", "--out", "x", "--datasets", "mnist", "--variants", "plain,bn",
                "--seeds", "1-3,7", "--canaries", "0,1", "--choices", "hard", "--epochs", "20", "--n", "500")
                .settings();
        assertEquals(List.of("mnist"), s.datasets());
        assertEquals(List.of("plain", "bn"), s.variants());
        assertEquals(List.of(1L, 2L, 3L, 7L), s.seeds());
        assertEquals(List.of(1), s.canaryCounts());
        assertEquals(List.of("hard"), s.choices());
        assertEquals(20, s.epochs());
        assertEquals(500, s.probes());
        assertEquals(StudySettings.quick(), parse("--preset", "quick", "--out", "x").settings());
    }

    @Test
    void badValuesExitWithUsageErrorsNamingTheOption() {
        CommandLineTest.Outcome o = CommandLineTest.memaudit("reproduce", "--preset", "slow", "--out", tmp.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--preset"), o.err());
        o = CommandLineTest.memaudit("reproduce", "--preset", "quick", "--seeds", "1-x", "--out", tmp.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--seeds"), o.err());
        assertThrows(IllegalArgumentException.class, () -> ReproduceCommand.parseSeeds("a"));
    }

    @Test
    void helpDescribesThePresets() {
        CommandLineTest.Outcome o = CommandLineTest.memaudit("reproduce", "--help");
        assertEquals(0, o.code());
        assertTrue(o.out().contains("quick = MNIST MLP plain, seeds 1-6"), o.out());
    }
}
