package io.memaudit.deploy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/alertmanager/alertmanager.yml: amtool accepts it, routes by severity, inhibits only alerts that exist. */
@Tag("ops")
class AlertmanagerConfigTest {
    static final String CONFIG = "deploy/alertmanager/alertmanager.yml";

    @Test
    void amtoolAcceptsTheConfig() {
        Tools.Result r = Tools.AMTOOL.runOk(List.of("check-config", CONFIG));
        assertTrue(r.output().contains("SUCCESS"), r.describe());
    }

    @Test
    void criticalAlertsGoToTheCriticalReceiverAndTheRestToTheDefault() {
        assertEquals("memaudit-critical", route("severity=critical", "alertname=MemorisationVerdict"));
        assertEquals("memaudit-default", route("severity=warning", "alertname=MemorisationScoreHigh"));
        assertEquals("memaudit-default", route("alertname=SomethingWithoutSeverity"));
    }

    private static String route(String... labels) {
        List<String> args = new java.util.ArrayList<>(List.of("config", "routes", "test", "--config.file=" + CONFIG));
        args.addAll(List.of(labels));
        Tools.Result r = Tools.AMTOOL.runOk(args);
        // amtool prints the receiver names (one line), plus a warning about --alertmanager.url on some versions
        return r.output().lines().filter(l -> !l.isBlank() && !l.startsWith("Warning")).reduce((a, b) -> b).orElse("").trim();
    }

    @Test
    void inhibitRulesNameExistingAlerts() {
        Set<String> alerts = AlertRules.alerts().stream().map(AlertRules.Rule::alert).collect(Collectors.toSet());
        List<Map<?, ?>> rules = AlertRules.maps(Repo.yaml(Repo.path(CONFIG)).get("inhibit_rules"));
        assertFalse(rules.isEmpty(), "no inhibit rules in " + CONFIG);
        Pattern alertname = Pattern.compile("alertname\\s*=~?\\s*\"([^\"]*)\"");
        for (Map<?, ?> rule : rules) {
            for (String key : List.of("source_matchers", "target_matchers")) {
                Object matchers = rule.get(key);
                assertTrue(matchers instanceof List<?>, key + " missing in inhibit rule " + rule);
                for (Object m : (List<?>) matchers) {
                    Matcher x = alertname.matcher(String.valueOf(m));
                    if (x.find()) {
                        for (String name : x.group(1).split("\\|")) {
                            assertTrue(alerts.contains(name), "inhibit rule " + rule + " names alert " + name
                                    + ", which no rule in " + AlertRules.RULES_DIR + " defines");
                        }
                    }
                }
            }
        }
    }
}
