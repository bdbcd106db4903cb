package io.memaudit.deploy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every PromQL expression of the dashboards and the rules parses: they are written, with Grafana's
 * variables replaced by concrete values, into a throwaway rules file as recording rules, which
 * promtool checks. Also: they only name metrics the worker exposes.
 */
@Tag("ops")
class PromqlSyntaxTest {
    /** The worker's metrics (README, "Operations: metrics, alerts, dashboards"), without histogram suffixes. */
    static final Set<String> WORKER_METRICS = Set.of("memaudit_sensitivity_kl_nats", "memaudit_sensitivity_label_nats", "memaudit_sensitivity_prob_max_ratio",
            "memaudit_control_rank", "memaudit_controls", "memaudit_exposure_shannons", "memaudit_score_z", "memaudit_score_p_value_ratio",
            "memaudit_evidence_rank", "memaudit_evidence_p_value_ratio", "memaudit_verdict", "memaudit_checkpoint_step",
            "memaudit_checkpoint_epoch", "memaudit_last_scored_timestamp_seconds", "memaudit_checkpoints_received_total",
            "memaudit_checkpoints_total", "memaudit_dead_letters_total", "memaudit_scoring_duration_seconds",
            "memaudit_model_load_duration_seconds", "memaudit_scoring_in_flight", "memaudit_consumer_lag",
            "memaudit_consumer_committed_lag", "memaudit_partition_stalled", "memaudit_consumer_errors_total", "memaudit_build_info");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$", Pattern.DOTALL);
    private static final Pattern METRIC = Pattern.compile("\\bmemaudit_[a-z0-9_]+");

    @TempDir
    Path tmp;

    /** Every query, with where it comes from. */
    static Map<String, String> allExpressions() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path f : Dashboards.files()) {
            for (Dashboards.Query q : Dashboards.queries(f)) {
                out.put(q.where(), q.expr());
            }
        }
        for (AlertRules.Rule r : AlertRules.all()) {
            out.put(Repo.relative(r.file()) + " rule " + r.name(), r.expr());
        }
        return out;
    }

    /**
     * The expression Prometheus would receive: label_values(Q, label) becomes Q; $__rate_interval and
     * the other interval variables become 5m; any other variable (always used inside a regex matcher
     * here) becomes .* (what "All" sends). Null for label_values(label), which has no PromQL.
     */
    static String concrete(String expr) {
        String e = expr;
        Matcher lv = LABEL_VALUES.matcher(e);
        if (lv.matches()) {
            e = lv.group(1);
        } else if (e.trim().startsWith("label_values(")) {
            return null;
        }
        e = e.replaceAll("\\$\\{?__(rate_interval|interval|range)}?", "5m")
                .replaceAll("\\$\\{?__(range_s)}?", "300").replaceAll("\\$\\{?__(interval_ms|range_ms)}?", "300000");
        e = Dashboards.VARIABLE.matcher(e).replaceAll(".*");
        return e;
    }

    private Tools.Result check(Map<String, String> expressions) throws IOException {
        List<Map<String, Object>> groups = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, String> x : expressions.entrySet()) {
            String concrete = concrete(x.getValue());
            if (concrete == null) {
                continue;
            }
            assertFalse(concrete.contains("$"), x.getKey() + ": a variable is left after substitution: " + concrete);
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("record", "memaudit_deploy_test:expr_" + (++i));
            rule.put("expr", concrete);
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("name", "#" + i + " " + x.getKey());
            group.put("rules", List.of(rule));
            groups.add(group);
        }
        assertFalse(groups.isEmpty(), "no expressions to check");
        Path file = tmp.resolve("expressions.yml");
        Files.writeString(file, Repo.dumpYaml(Map.of("groups", groups)));
        return Tools.PROMTOOL.run(List.of("check", "rules", file.toString()));
    }

    @Test
    void everyDashboardAndRuleExpressionParses() throws IOException {
        Map<String, String> all = allExpressions();
        assertTrue(all.size() >= 30, "expected the dashboards' and rules' expressions, found " + all.size());
        Tools.Result r = check(all);
        if (r.exit() != 0) {
            StringBuilder list = new StringBuilder();
            int i = 0;
            for (Map.Entry<String, String> x : all.entrySet()) {
                if (concrete(x.getValue()) != null) {
                    list.append("#").append(++i).append(" ").append(x.getKey()).append(":\n    ").append(concrete(x.getValue())).append('\n');
                }
            }
            fail("promtool rejects some expressions (the group name says which):\n" + r.output() + "\nexpressions:\n" + list);
        }
    }

    /** The check above would catch a broken expression. */
    @Test
    void theCheckRejectsABrokenExpression() throws IOException {
        Tools.Result r = check(Map.of("broken", "sum(rate(memaudit_checkpoints_total{instance=~\"$instance\"}[$__rate_interval])"));
        assertNotEquals(0, r.exit(), "promtool accepted an unbalanced parenthesis:\n" + r.output());
    }

    @Test
    void substitutionKeepsTheQueryShape() {
        assertTrue(concrete("rate(x{run_id=~\"$run_id\", f=~\"${feature_id}\"}[$__rate_interval])")
                .equals("rate(x{run_id=~\".*\", f=~\".*\"}[5m])"));
        assertTrue(concrete("label_values(up{job=\"memaudit-worker\"}, instance)").equals("up{job=\"memaudit-worker\"}"));
        assertTrue(concrete("label_values(instance)") == null);
    }

    @Test
    void expressionsNameOnlyTheWorkersMetrics() {
        Set<String> unknown = new TreeSet<>();
        allExpressions().forEach((where, expr) -> {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                String name = m.group().replaceFirst("_(bucket|sum|count|max)$", "");
                if (!WORKER_METRICS.contains(name)) {
                    unknown.add(m.group() + " (" + where + ")");
                }
            }
        });
        assertTrue(unknown.isEmpty(), "metrics the worker does not expose: " + unknown);
    }
}
