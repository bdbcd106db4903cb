package io.memaudit.deploy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboards in dashboards/*.json, and the PromQL in them. */
final class Dashboards {
    static final String DIR = "dashboards";
    /** $var, ${var}, ${var:format}, [[var]]. */
    static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::[^}]*)?}|\\$(\\w+)|\\[\\[(\\w+)(?::[^]]*)?]]");
    static final Set<String> BUILT_INS = Set.of("__rate_interval", "__interval", "__interval_ms", "__range", "__range_s",
            "__range_ms", "__from", "__to", "__dashboard", "__org", "__user", "__all");

    /** A query of a panel (or of a template variable) and where it is. */
    record Query(String where, String expr) {
    }

    private Dashboards() {
    }

    static List<Path> files() {
        return Repo.files(DIR, ".json");
    }

    static JsonObject load(Path file) {
        return JsonParser.parseString(Repo.read(Repo.relative(file))).getAsJsonObject();
    }

    /** Every panel, including those nested in rows. */
    static List<JsonObject> panels(JsonObject dashboard) {
        List<JsonObject> out = new ArrayList<>();
        collect(dashboard.getAsJsonArray("panels"), out);
        return out;
    }

    private static void collect(JsonArray panels, List<JsonObject> out) {
        if (panels == null) {
            return;
        }
        for (JsonElement e : panels) {
            JsonObject p = e.getAsJsonObject();
            out.add(p);
            collect(p.getAsJsonArray("panels"), out);
        }
    }

    static List<JsonObject> targets(JsonObject panel) {
        List<JsonObject> out = new ArrayList<>();
        JsonArray t = panel.getAsJsonArray("targets");
        if (t != null) {
            t.forEach(e -> out.add(e.getAsJsonObject()));
        }
        return out;
    }

    static List<JsonObject> variables(JsonObject dashboard) {
        List<JsonObject> out = new ArrayList<>();
        JsonObject templating = dashboard.getAsJsonObject("templating");
        if (templating != null && templating.has("list")) {
            templating.getAsJsonArray("list").forEach(e -> out.add(e.getAsJsonObject()));
        }
        return out;
    }

    static Set<String> variableNames(JsonObject dashboard) {
        Set<String> out = new LinkedHashSet<>();
        variables(dashboard).forEach(v -> out.add(v.get("name").getAsString()));
        return out;
    }

    /** The annotation queries (dashboard → annotations → list). */
    static List<JsonObject> annotations(JsonObject dashboard) {
        List<JsonObject> out = new ArrayList<>();
        JsonObject a = dashboard.getAsJsonObject("annotations");
        if (a != null && a.has("list")) {
            a.getAsJsonArray("list").forEach(e -> out.add(e.getAsJsonObject()));
        }
        return out;
    }

    /** The query text of a query variable (a string, or an object with a "query" field), or null. */
    static String variableQuery(JsonObject variable) {
        JsonElement q = variable.get("query");
        if (q == null || q.isJsonNull()) {
            return null;
        }
        if (q.isJsonObject()) {
            JsonElement inner = q.getAsJsonObject().get("query");
            return inner == null ? null : inner.getAsString();
        }
        return q.getAsString();
    }

    /** Every PromQL query of the dashboard: panel targets, query variables' queries and annotation queries. */
    static List<Query> queries(Path file) {
        JsonObject d = load(file);
        String name = file.getFileName().toString();
        List<Query> out = new ArrayList<>();
        for (JsonObject p : panels(d)) {
            for (JsonObject t : targets(p)) {
                if (t.has("expr")) {
                    out.add(new Query(name + " panel " + p.get("id") + " \"" + str(p, "title") + "\" target " + str(t, "refId"),
                            t.get("expr").getAsString()));
                }
            }
        }
        for (JsonObject v : variables(d)) {
            if ("query".equals(str(v, "type")) && variableQuery(v) != null) {
                out.add(new Query(name + " variable " + str(v, "name"), variableQuery(v)));
            }
        }
        for (JsonObject a : annotations(d)) {
            if (a.has("expr")) {
                out.add(new Query(name + " annotation " + str(a, "name"), a.get("expr").getAsString()));
            }
        }
        return out;
    }

    /** Names of the variables an expression uses. */
    static Set<String> usedVariables(String expr) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(expr);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
        }
        return out;
    }

    static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }
}
