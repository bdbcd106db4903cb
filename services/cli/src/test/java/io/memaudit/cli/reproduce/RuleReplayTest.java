package io.memaudit.cli.reproduce;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alert rules replayed by Prometheus's own engine (promtool) over per-checkpoint series. */
@Tag("ops")
class RuleReplayTest {
    static final Path RULES = Path.of("../../deploy/prometheus/rules/memaudit.yml");

    @TempDir
    Path tmp;

    private static List<RuleReplay.Point> flat(int n, double mKl, int rank) {
        return Collections.nCopies(n, new RuleReplay.Point(mKl, rank, false));
    }

    @Test
    void eachRunGetsTheAlertsItsOwnSeriesFire() throws Exception {
        List<RuleReplay.Point> verdictOnce = new java.util.ArrayList<>(flat(6, 0.01, 9));
        verdictOnce.set(3, new RuleReplay.Point(0.01, 1, true));
        List<RuleReplay.Point> highAndTop = new java.util.ArrayList<>(flat(3, 0.01, 9));
        highAndTop.addAll(flat(3, 0.2, 1));
        List<RuleReplay.Point> justUnder = flat(6, 0.0659, 1); // under the threshold measured on clean runs
        Map<String, Set<String>> fired = RuleReplay.replay(RULES, Map.of("clean", flat(6, 0.01, 9), "verdict", verdictOnce,
                "high", highAndTop, "under", justUnder), 5, tmp);
        assertEquals(Set.of(), fired.get("clean"));
        assertEquals(Set.of("MemorisationVerdict"), fired.get("verdict"), "one memorised checkpoint held 5 minutes");
        assertTrue(fired.get("high").contains("MemorisationScoreHigh"), fired.toString());
        assertEquals(Set.of(), fired.get("under"));
    }

    @Test
    void wilsonIntervalsMatchTheTextbook() {
        double[] zeroOf40 = RunAlerts.wilson(0, 40);
        assertEquals(0.0, zeroOf40[0], 1e-12);
        assertEquals(0.0876, zeroOf40[1], 1e-4);
        assertArrayEquals(new double[] {0.2366, 0.7634}, RunAlerts.wilson(5, 10), 1e-4);
    }
}
