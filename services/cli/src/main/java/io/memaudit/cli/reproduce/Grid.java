package io.memaudit.cli.reproduce;

import java.util.ArrayList;
import java.util.List;

/** The models of a study in training order. */
public final class Grid {
    private Grid() { }

    /**
     * Per data set and variant: every seed's twin, then the canary models by count (smallest first),
     * choice and seed. A run stopped early thus holds complete seeds of the smallest counts, and every
     * twin comes before its canary siblings (hard canaries need the twin's hardest images).
     */
    public static List<GridCell> cells(StudySettings s) {
        List<GridCell> cells = new ArrayList<>();
        for (String dataset : s.datasets()) {
            String model = StudySettings.modelFor(dataset);
            for (String variant : s.variants()) {
                for (long seed : s.seeds()) {
                    cells.add(GridCell.twin(dataset, model, variant, seed));
                }
                for (int c : s.canaryCounts()) {
                    for (String choice : s.choices()) {
                        for (long seed : s.seeds()) {
                            cells.add(new GridCell(dataset, model, variant, seed, c, choice));
                        }
                    }
                }
            }
        }
        return cells;
    }

    /**
     * The canary sets the twin of {@code cell} stands in for ("random:1", "hard:100", ...): its label
     * scores and oracle are computed once per set.
     */
    public static List<String> siblingSets(StudySettings s) {
        List<String> sets = new ArrayList<>();
        for (String choice : s.choices()) {
            for (int c : s.canaryCounts()) {
                sets.add(choice + ":" + c);
            }
        }
        return sets;
    }
}
