package io.memaudit.deploy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/prometheus: promtool accepts the rules, their unit tests pass, and every alert is complete and tested. */
@Tag("ops")
class PrometheusRulesTest {
    static final List<String> REQUIRED_ALERTS = List.of("MemorisationScoreHigh",
            "MemorisationVerdict", "ScoringStalled", "CheckpointsDeadLettered", "AuditWorkerDown", "ConsumerLagHigh");
    static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    /** Prometheus fills this in from its external labels when it sends an alert. */
    static final String RUNBOOK_BASE = "{{ $externalLabels.memaudit_runbook_base }}";

    @Test
    void promtoolAcceptsTheRuleFiles() {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        AlertRules.ruleFiles().forEach(f -> args.add(Repo.relative(f)));
        assertFalse(args.size() == 2, "no rule files in " + AlertRules.RULES_DIR);
        Tools.PROMTOOL.runOk(args);
    }

    @Test
    void ruleUnitTestsPass() {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        AlertRules.testFiles().forEach(f -> args.add(Repo.relative(f)));
        assertFalse(args.size() == 2, "no rule tests in " + AlertRules.TESTS_DIR);
        Tools.Result r = Tools.PROMTOOL.runOk(args);
        assertTrue(r.output().contains("SUCCESS"), r.describe());
    }

    @Test
    void promtoolAcceptsThePrometheusConfig() {
        Tools.PROMTOOL.runOk(List.of("check", "config", "deploy/prometheus/prometheus.yml"));
    }

    @Test
    void everyRequiredAlertIsDefinedOnce() {
        Map<String, Integer> count = new HashMap<>();
        AlertRules.alerts().forEach(a -> count.merge(a.alert(), 1, Integer::sum));
        for (String name : REQUIRED_ALERTS) {
            assertEquals(1, count.getOrDefault(name, 0), "alert " + name + " defined " + count.getOrDefault(name, 0) + " times");
        }
    }

    @Test
    void everyAlertHasForSeverityAndAnnotations() {
        for (AlertRules.Rule a : AlertRules.alerts()) {
            String where = a.alert() + " in " + Repo.relative(a.file());
            assertTrue(a.forDuration() != null && a.forDuration().matches("\\d+[smhdwy]"), where + ": needs a for: duration, got " + a.forDuration());
            assertTrue(SEVERITIES.contains(a.labels().get("severity")), where + ": severity label must be one of " + SEVERITIES
                    + ", got " + a.labels().get("severity"));
            for (String key : List.of("summary", "description", "runbook", "runbook_url")) {
                String v = a.annotations().get(key);
                assertTrue(v != null && !v.isBlank(), where + ": missing annotation " + key);
            }
            if (a.alert().startsWith("Memorisation")) {
                for (String key : List.of("summary", "description")) {
                    String v = a.annotations().get(key);
                    assertTrue(v.contains("$labels.run_id") && v.contains("$labels.feature_id"), where + ": " + key
                            + " must name the run and the feature ($labels.run_id, $labels.feature_id)");
                }
                String summary = a.annotations().get("summary");
                // $value, or a value read with the query template function ({{ ... | query }}...{{ ... | value }})
                assertTrue(summary.contains("$value") || summary.contains("| value"), where + ": the summary must show the value");
            }
        }
    }

    @Test
    void runbookAnnotationsPointAtExistingSections() {
        for (AlertRules.Rule a : AlertRules.alerts()) {
            String runbook = a.annotations().get("runbook");
            String[] parts = runbook.split("#", 2);
            assertEquals(2, parts.length, a.alert() + ": runbook should be FILE#section, got " + runbook);
            Path doc = Repo.path(parts[0]);
            assertTrue(doc.toFile().isFile(), a.alert() + ": runbook file " + parts[0] + " does not exist");
            Set<String> anchors = Markdown.anchors(Repo.read(parts[0]));
            assertTrue(anchors.contains(parts[1]), a.alert() + ": no section #" + parts[1] + " in " + parts[0]
                    + " (sections: " + anchors + ")");
        }
    }

    /**
     * Receivers get an absolute link: runbook_url = the external label memaudit_runbook_base + "/" + the
     * runbook path (checked above to exist), and the shipped Prometheus configuration sets that label.
     */
    @Test
    void runbookUrlIsTheConfigurableBasePlusTheRunbookPath() {
        for (AlertRules.Rule a : AlertRules.alerts()) {
            assertEquals(RUNBOOK_BASE + "/" + a.annotations().get("runbook"), a.annotations().get("runbook_url"),
                    a.alert() + " in " + Repo.relative(a.file()));
        }
        Map<?, ?> global = (Map<?, ?>) Repo.yaml(Repo.path("deploy/prometheus/prometheus.yml")).get("global");
        Object labels = global == null ? null : global.get("external_labels");
        Object base = labels instanceof Map<?, ?> m ? m.get("memaudit_runbook_base") : null;
        assertTrue(base != null && !String.valueOf(base).isBlank(), "prometheus.yml sets no external label memaudit_runbook_base");
        if (String.valueOf(base).contains("${")) {
            String compose = Repo.read("docker-compose.yml");
            assertTrue(compose.contains("--enable-feature=expand-external-labels"), "prometheus.yml reads " + base
                    + " from the environment: docker-compose must start Prometheus with --enable-feature=expand-external-labels");
            assertTrue(compose.contains(String.valueOf(base).replaceAll("^\\$\\{(\\w+)}$", "$1") + ":"),
                    "docker-compose must set " + base + " for Prometheus");
        }
    }

    /** Each alert has a unit test case where it fires and one where it must not. */
    @Test
    void everyAlertIsTestedFiringAndNotFiring() {
        Set<String> fires = new LinkedHashSet<>();
        Set<String> quiet = new LinkedHashSet<>();
        for (Path f : AlertRules.testFiles()) {
            for (Map<?, ?> test : AlertRules.maps(Repo.yaml(f).get("tests"))) {
                for (Map<?, ?> c : AlertRules.maps(test.get("alert_rule_test"))) {
                    String name = AlertRules.str(c.get("alertname"));
                    Object exp = c.get("exp_alerts");
                    if (exp instanceof List<?> l && !l.isEmpty()) {
                        fires.add(name);
                    } else {
                        quiet.add(name);
                    }
                }
            }
        }
        for (AlertRules.Rule a : AlertRules.alerts()) {
            assertTrue(fires.contains(a.alert()), a.alert() + " has no unit test in which it fires");
            assertTrue(quiet.contains(a.alert()), a.alert() + " has no unit test in which it must not fire");
        }
    }

    /** The dashboards draw the same M_KL threshold as the alert. */
    static double scoreHighThreshold() {
        AlertRules.Rule high = AlertRules.alerts().stream().filter(a -> a.alert().equals("MemorisationScoreHigh")).findFirst()
                .orElseThrow(() -> new AssertionError("no MemorisationScoreHigh alert"));
        Matcher m = Pattern.compile(">\\s*([0-9.]+)").matcher(high.expr());
        assertTrue(m.find(), "cannot read the threshold of MemorisationScoreHigh from " + high.expr());
        return Double.parseDouble(m.group(1));
    }
}
