package io.memaudit.worker;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Prometheus rules and the dashboards draw the worker's measured defaults, not numbers of their own. */
class AlertRuleDefaultsTest {
    private static final Path RULES = Path.of("../../deploy/prometheus/rules/memaudit.yml");
    private static final Path OVERVIEW = Path.of("../../dashboards/memaudit-overview.json");

    @Test
    void scoreHighUsesTheWorkersTrendThreshold() throws Exception {
        String threshold = ConfigKeys.TREND_THRESHOLD.defaultValue();
        String rules = Files.readString(RULES);
        assertTrue(rules.contains("memaudit_sensitivity_kl_nats > " + threshold), "MemorisationScoreHigh must use " + threshold);
        assertTrue(Files.readString(OVERVIEW).contains("\"value\": " + threshold), "the overview's M_KL threshold must be " + threshold);
    }

    @Test
    void theVerdictAlertDescribesTheWorkersRule() throws Exception {
        String rules = Files.readString(RULES);
        assertTrue(rules.contains("p <= " + ConfigKeys.VERDICT_ALPHA.defaultValue()), "MemorisationVerdict must name alpha");
        assertTrue(ConfigKeys.VERDICT_CONFIRMATIONS.defaultValue().equals("2") && rules.contains("latest two audited checkpoints"),
                "MemorisationVerdict's description counts the confirmations");
    }
}
