package io.memaudit.worker;

import io.memaudit.common.events.AlertEvent;
import io.memaudit.common.events.ScoreEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrendDetectorTest {
    private static ScoreEvent score(String run, long step, double mKl, String verdict, int rank) {
        return TestScores.score(run, step).mKl(mKl).controlRank(rank).labelControlRank(rank).verdict(verdict)
                .evidence("label-rank").evidenceRank(rank).evidenceP(rank / 200.0).build();
    }

    /** The kinds raised at each checkpoint of one run. */
    private static List<List<String>> kinds(TrendDetector d, ScoreEvent... scores) {
        List<List<String>> out = new ArrayList<>();
        for (ScoreEvent s : scores) {
            out.add(d.onScore(s).stream().map(AlertEvent::kind).toList());
        }
        return out;
    }

    @Test
    void memorisedPagesOncePerStreakOfMemorisedCheckpoints() {
        TrendDetector d = TrendDetector.withWorkerDefaults();
        List<List<String>> k = kinds(d,
                score("r", 1, 0.0, "not-memorised", 90),
                score("r", 2, 0.0, "inconclusive", 1),
                score("r", 3, 0.0, "memorised", 2),
                score("r", 4, 0.0, "memorised", 1),
                score("r", 5, 0.0, "inconclusive", 1),
                score("r", 6, 0.0, "memorised", 1));
        assertEquals(List.of(List.of(), List.of(), List.of("memorised"), List.of(), List.of(), List.of("memorised")), k);
        AlertEvent a = TrendDetector.withWorkerDefaults().onScore(score("r", 3, 0.0, "memorised", 2)).get(0);
        assertEquals("label-rank", a.values().get("evidence"));
        assertEquals(2, a.values().get("rank"));
        assertTrue(a.message().contains("label-rank 2 of 200 (p 0.010)"), a.message());
    }

    @Test
    void defaultsAreTheOnesMeasuredOnCleanRuns() {
        TrendDetector d = TrendDetector.withWorkerDefaults();
        // threshold 0.066: 0.065 is quiet, 0.067 crosses once
        assertEquals(List.of(List.of(), List.of("threshold"), List.of()), kinds(d,
                score("t", 1, 0.065, "not-memorised", 50), score("t", 2, 0.067, "not-memorised", 50),
                score("t", 3, 0.07, "not-memorised", 50)));
        // rising: 3 consecutive rises of more than 0.008; rises of 0.005 (noise on clean runs) never count
        assertEquals(List.of(List.of(), List.of(), List.of(), List.of("rising")), kinds(d,
                score("u", 1, 0.00, "not-memorised", 50), score("u", 2, 0.01, "not-memorised", 50),
                score("u", 3, 0.02, "not-memorised", 50), score("u", 4, 0.03, "not-memorised", 50)));
        assertEquals(List.of(List.of(), List.of(), List.of(), List.of(), List.of()), kinds(d,
                score("v", 1, 0.000, "not-memorised", 50), score("v", 2, 0.005, "not-memorised", 50),
                score("v", 3, 0.010, "not-memorised", 50), score("v", 4, 0.015, "not-memorised", 50),
                score("v", 5, 0.020, "inconclusive", 1)));
    }

    @Test
    void verdictChangeOnlyWhenAskedFor() {
        TrendDetector d = new TrendDetector(1, 3, 0.008, true);
        assertEquals(List.of(List.of(), List.of("verdict-change")), kinds(d,
                score("r", 1, 0.0, "not-memorised", 50), score("r", 2, 0.0, "inconclusive", 1)));
    }
}
