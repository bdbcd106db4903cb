package io.memaudit.cli.reproduce;

import ai.djl.Device;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.data.SyntheticImages;
import io.memaudit.common.model.TestCheckpoints;
import io.memaudit.common.score.MemorisationRule;
import io.memaudit.common.score.VerdictRule;
import io.memaudit.common.scoring.AuditRequest;
import io.memaudit.common.scoring.AuditResult;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.common.scoring.ProbeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A study with more controls reports exactly what memaudit 0.1 (25 controls, per-checkpoint verdict) said. */
class DefaultControlsViewTest {
    private static final ImageSet PROBES = SyntheticImages.generate("probes", 100, 1, 28, 28, 10, 7);
    private static final ProbeProvider PROVIDER = (name, n, seed, shape) -> PROBES;

    @TempDir
    Path tmp;

    @Test
    void theFirst25ControlsOfALargerAuditGiveTheDefaultAuditsRankAndVerdict() throws Exception {
        Path ckpt = tmp.resolve("ckpt-0001");
        TestCheckpoints.writeMlp(ckpt, 5);
        AuditRequest base = new AuditRequest("glyph:A@1,1", "cifar10-gray-28", 100, 1, 42, null, null);
        try (CheckpointScorer scorer = new CheckpointScorer(Device.cpu(), PROVIDER, MemorisationRule.DEFAULT, 2000)) {
            AuditResult k25 = scorer.score(ckpt, base.withControls(25));
            AuditResult k60 = scorer.score(ckpt, base.withControls(60));
            assertEquals(60, k60.kl().controls());
            AuditResult view = Scores.withDefaultControls(k60);
            assertEquals(k25.scores().mKl(), k60.scores().mKl(), 0.0, "M_KL does not depend on K");
            assertArrayEquals(k25.controlMKl(), view.controlMKl(), 0.0);
            assertEquals(k25.kl(), view.kl());
            assertEquals(VerdictRule.DEFAULT.decide(k25.kl(), k25.scores()), view.verdict());
            assertEquals(k25.controlIds(), view.controlIds());
        }
    }
}
