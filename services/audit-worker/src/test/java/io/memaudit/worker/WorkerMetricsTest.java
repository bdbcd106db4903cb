package io.memaudit.worker;

import io.memaudit.common.events.ScoreEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerMetricsTest {
    static ScoreEvent score(String run, long step, double mKl, String verdict) {
        return TestScores.score(run, step).mKl(mKl).controlRank(2).controls(25).verdict(verdict)
                .evidence("kl-rank").evidenceRank(2).evidenceP(2 / 26.0).build();
    }

    @Test
    void latestScoreVerdictStateSetAndExpiry() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        WorkerMetrics m = new WorkerMetrics(r);
        m.scored(score("a", 1, 0.01, "not-memorised"));
        m.scored(score("a", 2, 0.07, "memorised"));
        assertEquals(0.07, r.get("memaudit.sensitivity.kl.nats").tags("run_id", "a").gauge().value(), 1e-12);
        assertEquals(2.0, r.get("memaudit.checkpoint.step").tags("run_id", "a").gauge().value());
        assertEquals(1.0, r.get("memaudit.verdict").tags("run_id", "a", "verdict", "memorised").gauge().value());
        assertEquals(0.0, r.get("memaudit.verdict").tags("run_id", "a", "verdict", "not-memorised").gauge().value());
        assertEquals(2.0, r.get("memaudit.checkpoints").tags("outcome", "scored").counter().count());
        ScoreEvent dup = score("a", 2, 0.07, "memorised").asDuplicate();
        m.scored(dup);
        assertEquals(1.0, r.get("memaudit.checkpoints").tags("outcome", "duplicate").counter().count());
        assertEquals(List.of(), m.expire(System.currentTimeMillis() - 60_000), "scored just now: not finished");
        assertEquals(List.of("a"), m.expire(System.currentTimeMillis() + 1));
        assertNull(r.find("memaudit.sensitivity.kl.nats").tags("run_id", "a").gauge(), "series of a finished run are removed");
        assertNotNull(r.find("memaudit.checkpoints").counter(), "counters stay");
    }

    /** Each quantity of a score has its own metric, named with its unit, and holds that quantity's value. */
    @Test
    void everyScoreQuantityHasItsOwnMetricWithItsUnit() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        new WorkerMetrics(r).scored(score("a", 3, 0.05, "inconclusive"));
        // score(): mLabel null, mProbMax 0.1, exposure 3.7, p t 0.01, p Wilcoxon 0.02, evidence p 2/26
        Map<String, Double> expected = Map.of("memaudit.sensitivity.kl.nats", 0.05, "memaudit.sensitivity.prob.max.ratio", 0.1,
                "memaudit.exposure.shannons", 3.7, "memaudit.evidence.p.value.ratio", 2 / 26.0);
        expected.forEach((name, v) -> assertEquals(v, r.get(name).tags("run_id", "a", "feature_id", "glyph:A").gauge().value(), 1e-12, name));
        assertTrue(Double.isNaN(r.get("memaudit.sensitivity.label.nats").gauge().value()), "M_label is NaN when the label is unknown");
        assertEquals(0.01, r.get("memaudit.score.p.value.ratio").tags("test", "t").gauge().value(), 1e-12);
        assertEquals(0.02, r.get("memaudit.score.p.value.ratio").tags("test", "wilcoxon").gauge().value(), 1e-12);
        assertNull(r.find("memaudit.sensitivity.score").gauge(), "the mixed-unit gauge is gone");
        assertNull(r.find("memaudit.exposure").gauge(), "exposure carries its unit");
        Set<String> withoutHelp = r.getMeters().stream().filter(m -> m.getId().getDescription() == null
                || m.getId().getDescription().isBlank()).map(m -> m.getId().getName()).collect(Collectors.toCollection(java.util.TreeSet::new));
        assertEquals(Set.of(), withoutHelp, "every metric is described");
    }
}
