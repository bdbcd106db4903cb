package io.memaudit.worker;

import io.memaudit.common.events.ScoreEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ScoreLedgerTest {
    private static ScoreEvent score(String run, long step, String feature, Integer rank) {
        return TestScores.score(run, step).featureId(feature)
                .evidence(rank == null ? null : "kl-rank").evidenceRank(rank).evidenceP(rank == null ? null : rank / 200.0)
                .build();
    }

    @Test
    void earlierGivesTheRunsPreviousCheckpointsOfTheFeatureMostRecentFirst() {
        ScoreLedger l = new ScoreLedger();
        l.record(score("r", 300, "a", 3)); // arrives out of order: from the scores topic
        l.record(score("r", 100, "a", 1));
        l.record(score("r", 200, "a", 2));
        l.record(score("r", 200, "b", 9));
        l.record(score("other", 250, "a", 7));
        assertEquals(List.of(200L, 100L), l.earlier("r", "a", 300, 5).stream().map(ScoreEvent::step).toList());
        assertEquals(List.of(200L), l.earlier("r", "a", 300, 1).stream().map(ScoreEvent::step).toList());
        assertEquals(List.of(300L), l.earlier("r", "a", 301, 1).stream().map(ScoreEvent::step).toList());
        assertEquals(List.of(), l.earlier("r", "a", 100, 1));
        assertEquals(List.of(), l.earlier("r", "a", 300, 0));
        assertEquals(List.of(), l.earlier("new", "a", 300, 1));
        assertEquals(2, l.earlier("r", "a", 300, 1).get(0).evidenceValue().rank());
    }

    @Test
    void eventsOfOlderWorkersHaveNoEvidence() {
        assertNull(score("r", 1, "a", null).evidenceValue());
    }
}
