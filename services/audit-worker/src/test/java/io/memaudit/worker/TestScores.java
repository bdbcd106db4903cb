package io.memaudit.worker;

import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.events.ScoreEventBuilder;

/** Score events for tests: a plausible CPU score of one checkpoint, for the test to change what it is about. */
final class TestScores {
    private TestScores() { }

    static ScoreEventBuilder score(String run, long step) {
        return ScoreEvent.builder().runId(run).step(step).epoch((int) step).featureId("glyph:A").probeSet("p")
                .probes(100).mKl(0.01).mProbMax(0.1).argmaxClass(3).tStatistic(1.0).pValue(0.01).pValueWilcoxon(0.02)
                .controlRank(5).controls(199).exposure(3.7).z(1.1).controlMKlMax(0.05)
                .verdict("not-memorised").deltaFromFirst(0.0).device("cpu()").engine("MXNet").scoringMillis(12.0)
                .workerId("w").modelSha256("0".repeat(64)).createdAt("2026-01-01T00:00:00Z");
    }
}
