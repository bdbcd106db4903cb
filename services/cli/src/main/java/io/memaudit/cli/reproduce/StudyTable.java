package io.memaudit.cli.reproduce;

import io.memaudit.cli.reproduce.Scores.Score;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The study's rows indexed for the report: the best-checkpoint value of a score of a model for a canary
 * set, the comparisons (a group's canary models of one set against its twins), and trajectories.
 */
final class StudyTable {
    /** One comparison of the report: the canary models of {@code set} in {@code group} against the twins. */
    record Comparison(String group, String set, List<GridCell> canaryModels, List<GridCell> twins) {
        String choice() { return set.substring(0, set.indexOf(':')); }

        int canaries() { return Integer.parseInt(set.substring(set.indexOf(':') + 1)); }
    }

    private final List<ResultRow> rows;
    private final Map<String, Double> best = new HashMap<>();
    private final Map<String, ResultRow> last = new HashMap<>();

    StudyTable(List<ResultRow> rows) {
        this.rows = List.copyOf(rows);
        for (ResultRow r : rows) {
            String k = key(r.cell(), r.canarySet(), r.score());
            if (r.isBest() || r.score().equals(Scores.ORACLE_LAST)) {
                best.put(k, r.value());
            }
            last.merge(k, r, (a, b) -> b.epoch() >= a.epoch() ? b : a);
        }
    }

    List<ResultRow> rows() { return rows; }

    private static String key(GridCell cell, String set, String score) {
        return cell.runId() + "|" + set + "|" + score;
    }

    /**
     * The model's best-checkpoint value ({@link Scores#ORACLE_LAST}: its only value, at the last checkpoint);
     * label scores and the oracle of a twin are per sibling set.
     */
    Optional<Double> best(GridCell cell, String set, String score) {
        String s = cell.isTwin() && !isPerSet(score) ? "" : cell.isTwin() ? set : cell.canarySet();
        return Optional.ofNullable(best.get(key(cell, s, score)));
    }

    /** The value at the model's last checkpoint (where early stopping's patience ran out). */
    Optional<Double> last(GridCell cell, String set, String score) {
        String s = cell.isTwin() && !isPerSet(score) ? "" : cell.isTwin() ? set : cell.canarySet();
        return Optional.ofNullable(last.get(key(cell, s, score))).map(ResultRow::value);
    }

    Optional<Double> best(GridCell cell, String set, Score score) {
        return best(cell, set, score.name());
    }

    /** Model-level values (test accuracy, times): stored once per model. */
    Optional<Double> model(GridCell cell, String score) {
        return Optional.ofNullable(best.get(key(cell, cell.canarySet(), score)));
    }

    static boolean isPerSet(String score) {
        return score.equals(Scores.ORACLE) || score.equals(Scores.ORACLE_LAST) || Scores.REPORTED.stream().anyMatch(s -> s.labelKnown() && s.name().equals(score));
    }

    /** Groups (data set/model/variant) in first-seen order. */
    List<String> groups() {
        Set<String> g = new LinkedHashSet<>();
        rows.forEach(r -> g.add(r.cell().group()));
        return new ArrayList<>(g);
    }

    List<GridCell> models(String group) {
        Set<GridCell> cells = new LinkedHashSet<>();
        rows.stream().filter(r -> r.cell().group().equals(group)).forEach(r -> cells.add(r.cell()));
        return new ArrayList<>(cells);
    }

    /** Every (group, canary set) with at least one canary model and one twin, ordered by group, choice, count. */
    List<Comparison> comparisons() {
        List<Comparison> out = new ArrayList<>();
        for (String group : groups()) {
            List<GridCell> models = models(group);
            List<GridCell> twins = models.stream().filter(GridCell::isTwin).toList();
            Map<String, List<GridCell>> bySet = new TreeMap<>((a, b) -> compareSets(a, b));
            models.stream().filter(c -> !c.isTwin()).forEach(c -> bySet.computeIfAbsent(c.canarySet(),
                    k -> new ArrayList<>()).add(c));
            bySet.forEach((set, canaryModels) -> {
                if (!twins.isEmpty()) {
                    out.add(new Comparison(group, set, canaryModels, twins));
                }
            });
        }
        return out;
    }

    private static int compareSets(String a, String b) {
        String ca = a.substring(0, a.indexOf(':'));
        String cb = b.substring(0, b.indexOf(':'));
        if (!ca.equals(cb)) {
            return ca.equals(GridCell.RANDOM) ? -1 : cb.equals(GridCell.RANDOM) ? 1 : ca.compareTo(cb);
        }
        return Integer.compare(Integer.parseInt(a.substring(a.indexOf(':') + 1)),
                Integer.parseInt(b.substring(b.indexOf(':') + 1)));
    }

    /** Values of the models that have one, in the order given (±∞, e.g. a z with constant controls, clamped). */
    double[] values(List<GridCell> cells, String set, String score) {
        return finite(cells.stream().map(c -> best(c, set, score)));
    }

    /** As {@link #values} at each model's last checkpoint. */
    double[] lastValues(List<GridCell> cells, String set, String score) {
        return finite(cells.stream().map(c -> last(c, set, score)));
    }

    private static double[] finite(java.util.stream.Stream<Optional<Double>> values) {
        return values.flatMap(Optional::stream).filter(v -> !v.isNaN())
                .mapToDouble(v -> Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, v))).toArray();
    }

    /** Mean per epoch over the models (each model contributes the epochs it trained). */
    TreeMap<Integer, Double> meanTrajectory(List<GridCell> cells, String set, String score) {
        TreeMap<Integer, Double> out = new TreeMap<>();
        trajectorySums(cells, set, score).forEach((e, s) -> out.put(e, s[0] / s[1]));
        return out;
    }

    /** How many runs make up {@link #meanTrajectory}'s mean at each epoch (fewer where runs stopped early). */
    TreeMap<Integer, Integer> trajectoryCounts(List<GridCell> cells, String set, String score) {
        TreeMap<Integer, Integer> out = new TreeMap<>();
        trajectorySums(cells, set, score).forEach((e, s) -> out.put(e, (int) s[1]));
        return out;
    }

    private TreeMap<Integer, double[]> trajectorySums(List<GridCell> cells, String set, String score) {
        TreeMap<Integer, double[]> sums = new TreeMap<>();
        for (ResultRow r : rows) {
            boolean setMatches = r.cell().isTwin() && !isPerSet(score) ? r.canarySet().isEmpty()
                    : r.cell().isTwin() ? r.canarySet().equals(set) : true;
            if (r.score().equals(score) && cells.contains(r.cell()) && setMatches && Double.isFinite(r.value())) {
                double[] s = sums.computeIfAbsent(r.epoch(), e -> new double[2]);
                s[0] += r.value();
                s[1]++;
            }
        }
        return sums;
    }
}
