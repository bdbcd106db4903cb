package io.memaudit.deploy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the dashboards show about scores: units on every score panel, fired alerts on the time axis, scores by training step. */
@Tag("ops")
class DashboardScoresTest {
    /** The Grafana unit of each worker metric that has one (the metric name's unit suffix). */
    static final Map<String, String> UNITS = new LinkedHashMap<>();

    static {
        UNITS.put("memaudit_sensitivity_kl_nats", "suffix: nats");
        UNITS.put("memaudit_sensitivity_label_nats", "suffix: nats");
        UNITS.put("memaudit_exposure_shannons", "suffix: bits");
        UNITS.put("memaudit_sensitivity_prob_max_ratio", "percentunit");
        UNITS.put("memaudit_score_p_value_ratio", "percentunit");
        UNITS.put("memaudit_evidence_p_value_ratio", "percentunit");
        UNITS.put("_seconds_bucket", "s");
    }

    private static final Pattern ALERTNAME = Pattern.compile("alertname=~\"([^\"]+)\"");

    private static JsonObject overview() {
        return Dashboards.load(Repo.path(Dashboards.DIR + "/" + DashboardTest.OVERVIEW));
    }

    /** Units of a panel: its default and those its overrides set. */
    private static List<String> units(JsonObject p) {
        List<String> out = new ArrayList<>();
        JsonObject fc = p.getAsJsonObject("fieldConfig");
        if (fc == null) {
            return out;
        }
        JsonObject defaults = fc.getAsJsonObject("defaults");
        if (defaults != null && defaults.has("unit")) {
            out.add(defaults.get("unit").getAsString());
        }
        if (fc.has("overrides")) {
            for (JsonElement o : fc.getAsJsonArray("overrides")) {
                for (JsonElement prop : o.getAsJsonObject().getAsJsonArray("properties")) {
                    if ("unit".equals(Dashboards.str(prop.getAsJsonObject(), "id"))) {
                        out.add(prop.getAsJsonObject().get("value").getAsString());
                    }
                }
            }
        }
        return out;
    }

    /** Time series and stats carry the unit as their default; tables on the column (an override). */
    @Test
    void everyScorePanelHasItsMetricsUnit() {
        int checked = 0;
        for (Path f : Dashboards.files()) {
            for (JsonObject p : Dashboards.panels(Dashboards.load(f))) {
                String where = f.getFileName() + " panel " + p.get("id") + " \"" + Dashboards.str(p, "title") + "\"";
                for (JsonObject t : Dashboards.targets(p)) {
                    String expr = t.has("expr") ? t.get("expr").getAsString() : "";
                    for (Map.Entry<String, String> u : UNITS.entrySet()) {
                        if (!expr.contains(u.getKey())) {
                            continue;
                        }
                        checked++;
                        List<String> units = units(p);
                        if ("table".equals(Dashboards.str(p, "type"))) {
                            assertTrue(units.contains(u.getValue()), where + ": no column in " + u.getValue() + " for " + u.getKey() + ", units " + units);
                        } else {
                            assertFalse(units.isEmpty(), where + ": no unit");
                            assertEquals(u.getValue(), units.get(0), where + ": unit of " + u.getKey());
                        }
                    }
                }
            }
        }
        assertTrue(checked >= 10, "expected the score and latency panels, checked " + checked);
    }

    /** Fired alerts are annotations on the time panels: the overview's match every memorisation alert, the operations' every pipeline alert. */
    @Test
    void alertAnnotationsCoverEveryAlertOfTheirGroup() {
        Map<String, String> dashboardOfGroup = Map.of("memaudit-memorisation", DashboardTest.OVERVIEW, "memaudit-pipeline", DashboardTest.OPERATIONS);
        for (AlertRules.Rule a : AlertRules.alerts()) {
            String file = dashboardOfGroup.get(a.group());
            assertNotNull(file, "alert group " + a.group() + " has no dashboard that annotates it");
            boolean shown = false;
            for (JsonObject ann : Dashboards.annotations(Dashboards.load(Repo.path(Dashboards.DIR + "/" + file)))) {
                String expr = Dashboards.str(ann, "expr");
                if (expr == null || !expr.startsWith("ALERTS{") || !Boolean.TRUE.equals(ann.get("enable").getAsBoolean())) {
                    continue;
                }
                assertTrue(expr.contains("alertstate=\"firing\""), file + ": annotate firing alerts only: " + expr);
                Matcher m = ALERTNAME.matcher(expr);
                assertTrue(m.find(), file + ": annotation without an alertname matcher: " + expr);
                shown |= a.alert().matches(m.group(1)); // Prometheus anchors =~ at both ends, as matches() does
            }
            assertTrue(shown, file + " has no enabled ALERTS annotation matching " + a.alert());
        }
    }

    /** One panel plots M_KL against the training step, from the worker's JSON API (Prometheus has only wall-clock time). */
    @Test
    void overviewPlotsMklAgainstTrainingStep() {
        JsonObject step = Dashboards.panels(overview()).stream().filter(p -> Dashboards.targets(p).stream().anyMatch(t -> t.has("url")))
                .findFirst().orElseThrow(() -> new AssertionError(DashboardTest.OVERVIEW + ": no panel reads the worker API"));
        String where = DashboardTest.OVERVIEW + " panel \"" + Dashboards.str(step, "title") + "\"";
        assertEquals("trend", Dashboards.str(step, "type"), where + ": a trend panel (numeric x axis)");
        assertEquals("step", Dashboards.str(step.getAsJsonObject("options"), "xField"), where + ": x is the training step");
        assertEquals("run_id", Dashboards.str(step, "repeat"), where + ": one panel per run");
        JsonObject t = Dashboards.targets(step).get(0);
        assertEquals("${memaudit_api}/api/runs/${run_id:percentencode}/scores", Dashboards.str(t, "url"), where);
        Map<String, String> columns = new LinkedHashMap<>();
        t.getAsJsonArray("columns").forEach(c -> columns.put(Dashboards.str(c.getAsJsonObject(), "selector"),
                Dashboards.str(c.getAsJsonObject(), "type")));
        assertEquals("number", columns.get("step"), where + ": step column");
        assertEquals("number", columns.get("mKl"), where + ": mKl column");
        assertEquals("suffix: nats", units(step).get(0), where + ": M_KL in nats");
        assertTrue(Dashboards.variableNames(overview()).contains("memaudit_api"), "the worker API base is a variable");
    }
}
