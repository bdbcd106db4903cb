package io.memaudit.cli.reproduce;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decision rules the report compares with memaudit's verdict, each applied to the scores a model has at its
 * best checkpoint. They exist to measure, on twins, what a stricter or a label-aware rule would cost and buy;
 * none of them is the worker's rule (that is {@link io.memaudit.common.score.VerdictRule}).
 */
final class VerdictRules {
    /** A rule: its name in the report and whether it holds for the scores looked up by CSV name. */
    record Rule(String name, boolean labelKnown, Function<Function<String, Optional<Double>>, Boolean> test) {
        boolean holds(Function<String, Optional<Double>> scores) {
            return test.apply(scores);
        }
    }

    private VerdictRules() { }

    static final List<Rule> ALL = List.of(
            new Rule("verdict (rank 1 of M_KL; both p < 0.01)", false,
                    s -> at(s, Scores.VERDICT) > 0.5),
            new Rule("rank 1 of M_KL and z ≥ 3", false,
                    s -> at(s, Scores.KL_RANK.name()) == 1 && at(s, Scores.KL_Z.name()) >= 3),
            new Rule("rank 1 of M_KL and z ≥ 4", false,
                    s -> at(s, Scores.KL_RANK.name()) == 1 && at(s, Scores.KL_Z.name()) >= 4),
            new Rule("rank 1 of M_label", true,
                    s -> at(s, Scores.LABEL_RANK.name()) == 1),
            new Rule("rank 1 of M_KL and of M_label", true,
                    s -> at(s, Scores.KL_RANK.name()) == 1 && at(s, Scores.LABEL_RANK.name()) == 1));

    /** The value, NaN when the model has none (NaN fails every comparison, so the rule does not hold). */
    private static double at(Function<String, Optional<Double>> scores, String name) {
        return scores.apply(name).orElse(Double.NaN);
    }
}
