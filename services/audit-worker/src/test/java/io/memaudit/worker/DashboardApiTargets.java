package io.memaudit.worker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The dashboards' panel targets that call the worker's JSON API (Infinity queries with a url), nested panels included. */
final class DashboardApiTargets {
    private DashboardApiTargets() { }

    static List<JsonObject> all(Path dashboards) throws IOException {
        List<JsonObject> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dashboards)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                collect(JsonParser.parseString(Files.readString(f)).getAsJsonObject().get("panels"), out);
            }
        }
        return out;
    }

    private static void collect(JsonElement panels, List<JsonObject> out) {
        if (panels == null || !panels.isJsonArray()) {
            return;
        }
        for (JsonElement p : panels.getAsJsonArray()) {
            JsonObject panel = p.getAsJsonObject();
            collect(panel.get("panels"), out);
            if (panel.has("targets")) {
                panel.getAsJsonArray("targets").forEach(t -> {
                    if (t.getAsJsonObject().has("url")) {
                        out.add(t.getAsJsonObject());
                    }
                });
            }
        }
    }
}
