package io.memaudit.deploy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dashboards/*.json can be imported into any Grafana ("Import dashboard" asks for each __inputs data
 * source and replaces ${DS_...}) and still work when provisioned from files (where nothing replaces
 * ${DS_...}: a data-source variable of the same name resolves it).
 */
@Tag("ops")
class DashboardImportTest {
    private static final Pattern INPUT_REF = Pattern.compile("^\\$\\{(\\w+)}$");

    /** __inputs of type datasource: name → pluginId. */
    static Map<String, String> datasourceInputs(Path f, JsonObject d) {
        assertTrue(d.has("__inputs") && d.get("__inputs").isJsonArray(), f.getFileName() + ": no __inputs");
        Map<String, String> out = new HashMap<>();
        for (JsonElement e : d.getAsJsonArray("__inputs")) {
            JsonObject in = e.getAsJsonObject();
            if ("datasource".equals(Dashboards.str(in, "type"))) {
                assertTrue(Dashboards.str(in, "name").startsWith("DS_"), f.getFileName() + ": data-source input names start with DS_");
                assertNotNull(Dashboards.str(in, "label"), f.getFileName() + ": input " + Dashboards.str(in, "name") + " needs a label");
                out.put(Dashboards.str(in, "name"), Dashboards.str(in, "pluginId"));
            }
        }
        return out;
    }

    @Test
    void prometheusIsTheInputDsPrometheus() {
        for (Path f : Dashboards.files()) {
            assertEquals("prometheus", datasourceInputs(f, Dashboards.load(f)).get("DS_PROMETHEUS"), f.getFileName() + ": DS_PROMETHEUS");
        }
    }

    /** Every datasource reference (panel, target, query variable, annotation) is ${INPUT} of an input of its type. */
    @Test
    void everyDatasourceIsAnInputVariable() {
        for (Path f : Dashboards.files()) {
            JsonObject d = Dashboards.load(f);
            Map<String, String> inputs = datasourceInputs(f, d);
            List<String> used = new ArrayList<>();
            for (JsonObject p : Dashboards.panels(d)) {
                String where = f.getFileName() + " panel " + p.get("id") + " \"" + Dashboards.str(p, "title") + "\"";
                if ("row".equals(Dashboards.str(p, "type")) && !p.has("datasource")) {
                    continue;
                }
                used.add(input(where, p.get("datasource"), inputs));
                for (JsonObject t : Dashboards.targets(p)) {
                    String ds = input(where + " target " + Dashboards.str(t, "refId"), t.get("datasource"), inputs);
                    assertEquals(used.get(used.size() - 1), ds, where + ": target and panel use different data sources");
                }
            }
            for (JsonObject v : Dashboards.variables(d)) {
                if ("query".equals(Dashboards.str(v, "type"))) {
                    used.add(input(f.getFileName() + " variable " + Dashboards.str(v, "name"), v.get("datasource"), inputs));
                }
            }
            for (JsonObject a : Dashboards.annotations(d)) {
                if (!a.has("builtIn")) {
                    used.add(input(f.getFileName() + " annotation " + Dashboards.str(a, "name"), a.get("datasource"), inputs));
                }
            }
            assertEquals(inputs.keySet(), new HashSet<>(used), f.getFileName() + ": every input is used, and only inputs are");
        }
    }

    private static String input(String where, JsonElement ds, Map<String, String> inputs) {
        assertTrue(ds != null && ds.isJsonObject(), where + ": needs a datasource object {type, uid}");
        JsonObject o = ds.getAsJsonObject();
        Matcher m = INPUT_REF.matcher(String.valueOf(Dashboards.str(o, "uid")));
        assertTrue(m.matches() && inputs.containsKey(m.group(1)), where + ": datasource uid " + Dashboards.str(o, "uid")
                + " is not ${INPUT} of " + inputs.keySet());
        assertEquals(inputs.get(m.group(1)), Dashboards.str(o, "type"), where + ": datasource type vs input " + m.group(1));
        return m.group(1);
    }

    /** Provisioned from files, ${DS_X} is the variable DS_X: a data-source variable of the input's plugin. */
    @Test
    void everyInputHasADatasourceVariableOfTheSameName() {
        for (Path f : Dashboards.files()) {
            JsonObject d = Dashboards.load(f);
            datasourceInputs(f, d).forEach((name, plugin) -> {
                JsonObject v = Dashboards.variables(d).stream().filter(x -> name.equals(Dashboards.str(x, "name"))).findFirst()
                        .orElseThrow(() -> new AssertionError(f.getFileName() + ": no variable " + name + " for provisioning"));
                assertEquals("datasource", Dashboards.str(v, "type"), f.getFileName() + ": variable " + name);
                assertEquals(plugin, Dashboards.str(v, "query"), f.getFileName() + ": variable " + name + " lists " + plugin + " data sources");
            });
        }
    }

    @Test
    void requiresListsGrafanaEveryPanelTypeAndEveryDatasourcePlugin() {
        for (Path f : Dashboards.files()) {
            JsonObject d = Dashboards.load(f);
            assertTrue(d.has("__requires"), f.getFileName() + ": no __requires");
            Set<String> required = new HashSet<>();
            d.getAsJsonArray("__requires").forEach(e -> required.add(Dashboards.str(e.getAsJsonObject(), "type") + ":"
                    + Dashboards.str(e.getAsJsonObject(), "id")));
            assertTrue(required.contains("grafana:grafana"), f.getFileName() + ": __requires names no Grafana version");
            for (JsonObject p : Dashboards.panels(d)) {
                assertTrue(required.contains("panel:" + Dashboards.str(p, "type")), f.getFileName() + ": __requires lacks panel "
                        + Dashboards.str(p, "type"));
            }
            datasourceInputs(f, d).values().forEach(plugin -> assertTrue(required.contains("datasource:" + plugin),
                    f.getFileName() + ": __requires lacks datasource " + plugin));
            assertFalse(required.isEmpty());
        }
    }
}
