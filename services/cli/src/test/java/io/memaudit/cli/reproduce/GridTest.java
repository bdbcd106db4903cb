package io.memaudit.cli.reproduce;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The grid's order (twin before its canary models), the presets and the filters. */
class GridTest {
    @Test
    void quickPresetIsWhatTheHelpSays() {
        List<GridCell> cells = Grid.cells(StudySettings.quick());
        assertEquals(18, cells.size(), "6 seeds x (twin, 1, 100 random canaries)");
        assertEquals(List.of("mnist-mlp-plain-s6-twin", "mnist-mlp-plain-s1-c1-random"),
                cells.subList(5, 7).stream().map(GridCell::runId).toList(), "twins first, then by canary count");
        assertEquals("mnist-mlp-plain-s6-c100-random", cells.get(17).runId());
        assertEquals(5, StudySettings.quick().epochs());
        assertEquals(500, StudySettings.quick().probes());
    }

    @Test
    void paperGridTrainsEveryTwinBeforeItsSiblingsAndPairsModelsWithData() {
        List<GridCell> cells = Grid.cells(StudySettings.paper());
        assertEquals(3 * 5 * 10 * (1 + 2 * 3), cells.size());
        for (int i = 0; i < cells.size(); i++) {
            GridCell c = cells.get(i);
            assertEquals(c.dataset().equals("cifar10") ? "cnn" : "mlp", c.model());
            if (!c.isTwin()) {
                assertTrue(cells.subList(0, i).contains(c.twin()), c.runId() + " comes after its twin");
            }
        }
        assertEquals(List.of("random:1", "random:10", "random:100", "hard:1", "hard:10", "hard:100"),
                Grid.siblingSets(StudySettings.paper()));
    }

    @Test
    void filtersNarrowTheGridAndBadValuesNameTheOption() {
        StudySettings s = StudySettings.paper().withDatasets(List.of("mnist")).withVariants(List.of("plain", "bn"))
                .withSeeds(List.of(1L, 2L)).withCanaries(List.of(0, 1)).withChoices(List.of("hard"));
        assertEquals(2 * 2 * 2, Grid.cells(s).size());
        assertEquals(List.of(1), s.canaryCounts(), "0 is implied: twins are always trained");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.withDatasets(List.of("svhn")));
        assertTrue(e.getMessage().startsWith("--datasets"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.withChoices(List.of("easy")));
        assertThrows(IllegalArgumentException.class, () -> s.withVariants(List.of("huge")));
        assertThrows(IllegalArgumentException.class, () -> StudySettings.preset("slow"));
    }
}
