package io.memaudit.worker;

import io.memaudit.common.events.ScoreEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class WorkerMetricsTest {
    static ScoreEvent score(String run, long step, double mKl, String verdict) {
        return new ScoreEvent(1, run, step, (int) step, "glyph:A", "p", 100, mKl, null, 0.1, 3, 1.0, 0.01, 0.02, 2, 25,
                3.7, 1.1, null, 0.0, 0.05, verdict, "kl-rank", 2, 2 / 26.0, 0.0, "cpu()", "MXNet", 12.0, "w", "0".repeat(64), false, "2026-01-01T00:00:00Z");
    }

    @Test
    void latestScoreVerdictStateSetAndExpiry() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        WorkerMetrics m = new WorkerMetrics(r);
        m.scored(score("a", 1, 0.01, "not-memorised"));
        m.scored(score("a", 2, 0.07, "memorised"));
        assertEquals(0.07, r.get("memaudit.sensitivity.score").tags("run_id", "a", "score", "m_kl").gauge().value(), 1e-12);
        assertEquals(2.0, r.get("memaudit.checkpoint.step").tags("run_id", "a").gauge().value());
        assertEquals(1.0, r.get("memaudit.verdict").tags("run_id", "a", "verdict", "memorised").gauge().value());
        assertEquals(0.0, r.get("memaudit.verdict").tags("run_id", "a", "verdict", "not-memorised").gauge().value());
        assertEquals(2.0, r.get("memaudit.checkpoints").tags("outcome", "scored").counter().count());
        ScoreEvent dup = score("a", 2, 0.07, "memorised").asDuplicate();
        m.scored(dup);
        assertEquals(1.0, r.get("memaudit.checkpoints").tags("outcome", "duplicate").counter().count());
        assertEquals(List.of(), m.expire(System.currentTimeMillis() - 60_000), "scored just now: not finished");
        assertEquals(List.of("a"), m.expire(System.currentTimeMillis() + 1));
        assertNull(r.find("memaudit.sensitivity.score").tags("run_id", "a").gauge(), "series of a finished run are removed");
        assertNotNull(r.find("memaudit.checkpoints").counter(), "counters stay");
    }
}
