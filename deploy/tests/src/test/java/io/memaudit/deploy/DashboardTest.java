package io.memaudit.deploy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The structure of dashboards/*.json: ids, data sources, variables, thresholds, the panels asked for. */
@Tag("ops")
class DashboardTest {
    static final String OVERVIEW = "memaudit-overview.json";
    static final String OPERATIONS = "memaudit-operations.json";

    @Test
    void bothDashboardsExist() {
        Set<String> names = new HashSet<>();
        Dashboards.files().forEach(f -> names.add(f.getFileName().toString()));
        assertTrue(names.containsAll(List.of(OVERVIEW, OPERATIONS)), "dashboards/ holds " + names);
    }

    @Test
    void dashboardsAreGrafana10WithUniqueUids() {
        Set<String> uids = new HashSet<>();
        for (Path f : Dashboards.files()) {
            JsonObject d = Dashboards.load(f);
            assertTrue(d.get("schemaVersion").getAsInt() >= 38, f.getFileName() + ": schemaVersion " + d.get("schemaVersion") + " < 38");
            String uid = Dashboards.str(d, "uid");
            assertTrue(uid != null && !uid.isBlank() && uid.length() <= 40, f.getFileName() + ": needs a uid of at most 40 characters");
            assertTrue(uids.add(uid), f.getFileName() + ": uid " + uid + " used twice");
            assertTrue(d.get("id") == null || d.get("id").isJsonNull(), f.getFileName() + ": id must be null in a provisioned dashboard");
        }
    }

    @Test
    void panelIdsAreUnique() {
        for (Path f : Dashboards.files()) {
            Set<Integer> ids = new HashSet<>();
            for (JsonObject p : Dashboards.panels(Dashboards.load(f))) {
                assertNotNull(p.get("id"), f.getFileName() + ": panel \"" + Dashboards.str(p, "title") + "\" has no id");
                assertTrue(ids.add(p.get("id").getAsInt()), f.getFileName() + ": panel id " + p.get("id") + " used twice");
            }
            assertFalse(ids.isEmpty(), f.getFileName() + ": no panels");
        }
    }

    @Test
    void everyVariableUsedInAQueryIsDefined() {
        for (Path f : Dashboards.files()) {
            Set<String> defined = Dashboards.variableNames(Dashboards.load(f));
            for (Dashboards.Query q : Dashboards.queries(f)) {
                for (String v : Dashboards.usedVariables(q.expr())) {
                    assertTrue(defined.contains(v) || Dashboards.BUILT_INS.contains(v), q.where() + " uses $" + v
                            + ", which is neither a template variable " + defined + " nor a Grafana built-in");
                }
            }
            for (JsonObject p : Dashboards.panels(Dashboards.load(f))) {
                for (JsonObject t : Dashboards.targets(p)) {
                    for (String v : Dashboards.usedVariables(t.has("url") ? t.get("url").getAsString() : "")) {
                        assertTrue(defined.contains(v), f.getFileName() + " panel " + p.get("id") + " url uses $" + v + ", not a variable " + defined);
                    }
                }
            }
        }
    }

    @Test
    void variablesRunAndFeatureComeFromTheScores() {
        JsonObject d = Dashboards.load(Repo.path(Dashboards.DIR + "/" + OVERVIEW));
        for (String name : List.of("run_id", "feature_id")) {
            JsonObject v = Dashboards.variables(d).stream().filter(x -> name.equals(Dashboards.str(x, "name"))).findFirst()
                    .orElseThrow(() -> new AssertionError(OVERVIEW + ": no variable " + name));
            assertEquals("query", Dashboards.str(v, "type"));
            String q = Dashboards.variableQuery(v);
            assertTrue(q != null && q.startsWith("label_values(") && q.contains(name), OVERVIEW + ": variable " + name + " query " + q);
        }
    }

    @Test
    void scorePanelsShowTheAlertThreshold() {
        double threshold = PrometheusRulesTest.scoreHighThreshold();
        JsonObject d = Dashboards.load(Repo.path(Dashboards.DIR + "/" + OVERVIEW));
        int stats = 0;
        int series = 0;
        for (JsonObject p : Dashboards.panels(d)) {
            boolean mkl = Dashboards.targets(p).stream().anyMatch(t -> t.has("expr") && Dashboards.str(t, "expr").contains("memaudit_sensitivity_kl_nats"));
            String type = Dashboards.str(p, "type");
            String where = OVERVIEW + " panel " + p.get("id") + " \"" + Dashboards.str(p, "title") + "\"";
            if (mkl && "stat".equals(type)) {
                stats++;
                assertTrue(thresholdSteps(p).contains(threshold), where + ": thresholds should include " + threshold + ", got " + thresholdSteps(p));
            }
            if (mkl && "timeseries".equals(type)) {
                series++;
                assertTrue(thresholdSteps(p).contains(threshold), where + ": thresholds should include " + threshold);
                JsonObject style = p.getAsJsonObject("fieldConfig").getAsJsonObject("defaults").getAsJsonObject("custom")
                        .getAsJsonObject("thresholdsStyle");
                assertNotNull(style, where + ": no thresholdsStyle");
                assertTrue(Set.of("line", "dashed", "line+area", "dashed+area").contains(Dashboards.str(style, "mode")),
                        where + ": the threshold should be drawn as a line, thresholdsStyle.mode = " + Dashboards.str(style, "mode"));
            }
            if ("stat".equals(type) && Dashboards.targets(p).stream().anyMatch(t -> t.has("expr") && Dashboards.str(t, "expr").contains("memaudit_verdict"))) {
                assertFalse(thresholdSteps(p).isEmpty(), where + ": the verdict stat needs thresholds");
                JsonElement mappings = p.getAsJsonObject("fieldConfig").getAsJsonObject("defaults").get("mappings");
                assertTrue(mappings != null && mappings.getAsJsonArray().size() > 0, where + ": the verdict stat needs value mappings");
            }
        }
        assertTrue(stats >= 1, OVERVIEW + ": no stat panel of the latest M_KL");
        assertTrue(series >= 1, OVERVIEW + ": no time series of M_KL");
    }

    private static List<Double> thresholdSteps(JsonObject panel) {
        JsonObject defaults = panel.getAsJsonObject("fieldConfig").getAsJsonObject("defaults");
        JsonObject th = defaults.getAsJsonObject("thresholds");
        if (th == null) {
            return List.of();
        }
        return th.getAsJsonArray("steps").asList().stream().map(JsonElement::getAsJsonObject)
                .filter(s -> s.get("value") != null && !s.get("value").isJsonNull()).map(s -> s.get("value").getAsDouble()).toList();
    }

    @Test
    void overviewHasTheRunsTableAndTheAlertList() {
        JsonObject d = Dashboards.load(Repo.path(Dashboards.DIR + "/" + OVERVIEW));
        List<JsonObject> panels = Dashboards.panels(d);
        assertTrue(panels.stream().anyMatch(p -> "alertlist".equals(Dashboards.str(p, "type"))), OVERVIEW + ": no alert list panel");
        assertTrue(panels.stream().anyMatch(p -> "table".equals(Dashboards.str(p, "type")) && Dashboards.targets(p).stream()
                        .anyMatch(t -> t.has("instant") && t.get("instant").getAsBoolean() && Dashboards.str(t, "expr").startsWith("sort_desc("))),
                OVERVIEW + ": no table with an instant sort_desc query");
        for (String metric : List.of("memaudit_sensitivity_label_nats", "memaudit_sensitivity_prob_max_ratio", "memaudit_control_rank", "memaudit_exposure_shannons")) {
            assertTrue(Dashboards.queries(Repo.path(Dashboards.DIR + "/" + OVERVIEW)).stream().anyMatch(q -> q.expr().contains(metric)),
                    OVERVIEW + ": no panel queries " + metric);
        }
    }

    @Test
    void operationsCoversLatencyOutcomesLagAndTheJvm() {
        List<Dashboards.Query> queries = Dashboards.queries(Repo.path(Dashboards.DIR + "/" + OPERATIONS));
        for (String needle : List.of("histogram_quantile(0.99, sum by (le) (rate(memaudit_scoring_duration_seconds_bucket",
                "memaudit_model_load_duration_seconds_bucket", "memaudit_checkpoints_total", "memaudit_dead_letters_total",
                "memaudit_consumer_lag", "memaudit_scoring_in_flight", "jvm_memory_used_bytes{area=\"heap\"", "jvm_gc_pause_seconds",
                "up{job=\"memaudit-worker\"")) {
            assertTrue(queries.stream().anyMatch(q -> q.expr().contains(needle)), OPERATIONS + ": no panel queries " + needle);
        }
    }
}
