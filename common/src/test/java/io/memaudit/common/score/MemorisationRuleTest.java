package io.memaudit.common.score;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemorisationRuleTest {
    private final MemorisationRule rule = MemorisationRule.DEFAULT;

    private static Evidence label(int rank) {
        return new Evidence(Evidence.Statistic.LABEL_RANK, rank, 199);
    }

    private static List<Evidence> earlier(Evidence... e) {
        return Arrays.asList(e);
    }

    @Test
    void memorisedOnlyWhenThisAndThePreviousCheckpointAreAtMostAlpha() {
        // K = 199: p = rank / 200, so ranks 1 and 2 are <= 0.01, rank 3 (0.015) is not
        assertEquals(Verdict.MEMORISED, rule.decide(label(2), earlier(label(1))));
        assertEquals(Verdict.MEMORISED, rule.decide(label(1), earlier(label(2), label(150))));
        assertEquals(Verdict.INCONCLUSIVE, rule.decide(label(1), earlier(label(3))));
        assertEquals(Verdict.INCONCLUSIVE, rule.decide(label(1), earlier()));          // a first checkpoint, or a lone audit
        assertEquals(Verdict.INCONCLUSIVE, rule.decide(label(1), earlier((Evidence) null))); // unknown history
        assertEquals(Verdict.NOT_MEMORISED, rule.decide(label(3), earlier(label(1))));
        assertEquals(Verdict.NOT_MEMORISED, rule.decide(label(200), earlier(label(1))));
    }

    @Test
    void onlyTheLookBackCheckpointsCount() {
        MemorisationRule three = new MemorisationRule(0.01, 3);
        assertEquals(2, three.lookBack());
        assertEquals(Verdict.INCONCLUSIVE, three.decide(label(1), earlier(label(1))));
        assertEquals(Verdict.INCONCLUSIVE, three.decide(label(1), earlier(label(1), label(9), label(1))));
        assertEquals(Verdict.MEMORISED, three.decide(label(1), earlier(label(2), label(1), label(199))));
        MemorisationRule one = new MemorisationRule(0.01, 1);
        assertEquals(Verdict.MEMORISED, one.decide(label(2), earlier()));
    }

    @Test
    void tooFewControlsCanNeverReachAlpha() {
        assertEquals(99, rule.minControls());
        Evidence first = new Evidence(Evidence.Statistic.KL_RANK, 1, 25); // p = 1/26
        assertEquals(Verdict.NOT_MEMORISED, rule.decide(first, earlier(first)));
        Evidence first99 = new Evidence(Evidence.Statistic.KL_RANK, 1, 99); // p = 0.01 exactly counts
        assertEquals(Verdict.MEMORISED, rule.decide(first99, earlier(first99)));
        assertEquals(19, new MemorisationRule(0.05, 2).minControls());
    }

    @Test
    void evidenceIsTheLabelRankWhenTheLabelIsKnown() {
        CalibratedScore kl = new CalibratedScore(0.1, 40, 199, 0, 0);
        CalibratedScore lab = new CalibratedScore(0.2, 2, 199, 0, 0);
        assertEquals(label(2), Evidence.of(kl, lab));
        assertEquals(new Evidence(Evidence.Statistic.KL_RANK, 40, 199), Evidence.of(kl, null));
        assertEquals(0.2, Evidence.of(kl, null).p(), 1e-12);
        assertEquals(Evidence.Statistic.LABEL_RANK, Evidence.Statistic.fromWire("label-rank"));
    }

    @Test
    void nonsenseIsRefusedWithTheValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MemorisationRule(1.5, 2)).getMessage().contains("1.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MemorisationRule(0.01, 0)).getMessage().contains("0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> label(201)).getMessage().contains("201"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Evidence.Statistic.fromWire("z")).getMessage().contains("'z'"));
    }

    /**
     * Under exchangeability the rank is uniform on 1..K+1, so a single checkpoint is significant with
     * probability floor(alpha(K+1))/(K+1) <= alpha, whatever came before: checked exactly over all ranks.
     */
    @Test
    void perCheckpointLevelIsAtMostAlphaForEveryHistory() {
        for (int previous = 1; previous <= 200; previous += 199) {
            int memorised = 0;
            for (int rank = 1; rank <= 200; rank++) {
                memorised += rule.decide(label(rank), earlier(label(previous))) == Verdict.MEMORISED ? 1 : 0;
            }
            assertTrue(memorised / 200.0 <= rule.alpha(), "history rank " + previous + ": " + memorised + " of 200");
        }
    }
}
