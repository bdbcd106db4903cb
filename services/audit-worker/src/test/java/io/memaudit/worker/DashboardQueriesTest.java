package io.memaudit.worker;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus (Debian's, started as a process on loopback) scrapes a worker fed by a short
 * run of three checkpoints; every PromQL expression of the dashboards (panels, variables, annotations)
 * and the alert rules must evaluate, and the panels that show scores must return data. The step
 * panel's JSON columns must exist in the worker's /api answer, and a fired alert's runbook_url must be
 * absolute (Prometheus fills in the external label memaudit_runbook_base).
 */
@Tag("broker")
@Tag("ops")
class DashboardQueriesTest {
    static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String RUN_ID = "dash-run";
    static final String RUNBOOK_BASE = "https://runbooks.test/memaudit";
    static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((?:(.*),\\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\\)");

    @TempDir
    static Path root;
    static PipelineHarness h;
    static Process prometheus;
    static String promUrl;
    static AuditWorker worker;

    @BeforeAll
    static void setUp() throws Exception {
        h = new PipelineHarness(root);
        AuditWorker w = h.start(h.config("g-dash", "w-dash", Map.of()), WorkerListener.NONE);
        worker = w;
        List<Path> run = PipelineTest.writeCheckpoints(root.resolve(RUN_ID), 3);
        for (int i = 0; i < run.size(); i++) {
            h.publish("memaudit.checkpoints", RUN_ID, PipelineTest.event(run.get(i), RUN_ID, i + 1));
        }
        h.publish("memaudit.checkpoints", "broken", "{oops");
        h.read("memaudit.scores", 3, Duration.ofSeconds(90));
        startPrometheus(w.managementPort());
        awaitData("memaudit_sensitivity_kl_nats", Duration.ofSeconds(60));
    }

    static void startPrometheus(int workerPort) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cfg = root.resolve("prometheus.yml");
        Files.writeString(cfg, String.join("\n",
                "global: {scrape_interval: 1s, evaluation_interval: 1s, external_labels: {memaudit_runbook_base: '" + RUNBOOK_BASE + "'}}",
                "rule_files: ['" + REPO.resolve("deploy/prometheus/rules") + "/*.yml']",
                "scrape_configs:",
                "  - job_name: memaudit-worker",
                "    static_configs: [{targets: ['127.0.0.1:" + workerPort + "']}]", ""));
        try {
            prometheus = new ProcessBuilder("prometheus", "--config.file=" + cfg, "--storage.tsdb.path=" + root.resolve("tsdb"),
                    "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                    .redirectOutput(root.resolve("prometheus.log").toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("prometheus is not installed: run deploy/install-tools.sh (Debian package prometheus)", e);
        }
        promUrl = "http://127.0.0.1:" + port;
    }

    static void awaitData(String query, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (true) {
            try {
                if (query(query).getAsJsonObject("data").getAsJsonArray("result").size() > 0) {
                    return;
                }
            } catch (IOException | com.google.gson.JsonParseException e) {
                // not up yet ("Service Unavailable" while it starts)
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Prometheus has no " + query + " after " + timeout + ":\n"
                        + Files.readString(root.resolve("prometheus.log")));
            }
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
        h.close();
    }

    static JsonObject query(String promql) throws Exception {
        String url = promUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    /** Grafana variables and macros replaced by values that exist in this test's data. */
    static String substitute(String expr) {
        return expr.replace("${run_id}", RUN_ID).replace("$run_id", RUN_ID)
                .replace("${feature_id}", "glyph:A").replace("$feature_id", "glyph:A")
                .replace("$__rate_interval", "1m").replace("${__rate_interval}", "1m")
                .replace("$__interval", "15s").replace("$__range", "5m");
    }

    record Expr(String source, String promql, boolean showsScores) { }

    static List<Expr> dashboardExpressions() throws IOException {
        List<Expr> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(REPO.resolve("dashboards"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonObject d = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
                collectPanels(f.getFileName().toString(), d.getAsJsonArray("panels"), out);
                collectVariables(f.getFileName().toString(), d, out);
                collectAnnotations(f.getFileName().toString(), d, out);
            }
        }
        return out;
    }

    private static void collectPanels(String file, JsonArray panels, List<Expr> out) {
        if (panels == null) {
            return;
        }
        for (JsonElement p : panels) {
            JsonObject panel = p.getAsJsonObject();
            collectPanels(file, panel.getAsJsonArray("panels"), out);
            JsonArray targets = panel.getAsJsonArray("targets");
            if (targets == null) {
                continue;
            }
            String title = panel.has("title") ? panel.get("title").getAsString() : "?";
            for (JsonElement t : targets) {
                JsonElement expr = t.getAsJsonObject().get("expr");
                if (expr != null && !expr.getAsString().isBlank()) {
                    String e = expr.getAsString();
                    out.add(new Expr(file + " / " + title, e, e.contains("memaudit_sensitivity_kl_nats")
                            || e.contains("memaudit_control_rank") || e.contains("memaudit_verdict")));
                }
            }
        }
    }

    private static void collectVariables(String file, JsonObject d, List<Expr> out) {
        JsonObject templating = d.getAsJsonObject("templating");
        if (templating == null) {
            return;
        }
        for (JsonElement v : templating.getAsJsonArray("list")) {
            JsonObject var = v.getAsJsonObject();
            if (!"query".equals(var.get("type").getAsString())) {
                continue;
            }
            JsonElement q = var.get("query");
            String query = q.isJsonObject() ? q.getAsJsonObject().get("query").getAsString() : q.getAsString();
            Matcher m = LABEL_VALUES.matcher(query);
            if (m.find()) {
                String metric = m.group(1) == null ? "up" : m.group(1);
                out.add(new Expr(file + " / variable " + var.get("name").getAsString(), metric, true));
            } else {
                out.add(new Expr(file + " / variable " + var.get("name").getAsString(), query, false));
            }
        }
    }

    private static void collectAnnotations(String file, JsonObject d, List<Expr> out) {
        for (JsonElement a : d.getAsJsonObject("annotations").getAsJsonArray("list")) {
            JsonElement expr = a.getAsJsonObject().get("expr");
            if (expr != null) {
                out.add(new Expr(file + " / annotation " + a.getAsJsonObject().get("name").getAsString(), expr.getAsString(), false));
            }
        }
    }

    static List<Expr> ruleExpressions() throws IOException {
        List<Expr> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(REPO.resolve("deploy/prometheus/rules"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).trim();
                    if (line.startsWith("expr:")) {
                        StringBuilder e = new StringBuilder(line.substring(5).trim());
                        if (e.toString().equals("|") || e.toString().equals(">") || e.toString().startsWith("|-") || e.toString().startsWith(">-")) {
                            e.setLength(0);
                            int indent = lines.get(i).indexOf("expr:");
                            while (i + 1 < lines.size() && (lines.get(i + 1).isBlank()
                                    || lines.get(i + 1).length() - lines.get(i + 1).stripLeading().length() > indent)) {
                                e.append(' ').append(lines.get(++i).trim());
                            }
                        }
                        out.add(new Expr(f.getFileName() + " line " + (i + 1), e.toString().trim(), false));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyDashboardAndRuleExpressionEvaluatesAndScorePanelsHaveData() throws Exception {
        List<Expr> all = new ArrayList<>(dashboardExpressions());
        all.addAll(ruleExpressions());
        assertTrue(all.size() > 10, "found only " + all.size() + " expressions");
        List<String> problems = new ArrayList<>();
        for (Expr e : all) {
            JsonObject r = query(substitute(e.promql()));
            if (!"success".equals(r.get("status").getAsString())) {
                problems.add(e.source() + ": " + e.promql() + " -> " + r.get("error"));
            } else if (e.showsScores() && resultSize(r) == 0) {
                problems.add(e.source() + ": " + e.promql() + " returned no data");
            }
        }
        assertEquals(List.of(), problems);
    }

    private static int resultSize(JsonObject r) {
        JsonElement result = r.getAsJsonObject("data").get("result");
        return result.isJsonArray() ? result.getAsJsonArray().size() : 1;
    }

    @Test
    void prometheusScrapesTheWorker() throws Exception {
        JsonObject up = query("up{job=\"memaudit-worker\"}");
        JsonArray result = up.getAsJsonObject("data").getAsJsonArray("result");
        assertFalse(result.isEmpty());
        assertEquals("1", result.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString());
    }

    /** Prometheus renders '{{ $externalLabels.memaudit_runbook_base }}/docs/...' into an absolute link. */
    @Test
    void firedAlertsCarryAnAbsoluteRunbookUrl() throws Exception {
        // the broken event fired CheckpointsDeadLettered (for: 0m)
        long deadline = System.currentTimeMillis() + 60_000;
        JsonArray alerts;
        while ((alerts = firing()).isEmpty()) {
            assertTrue(System.currentTimeMillis() < deadline, "no alert fired within 60 s");
            Thread.sleep(500);
        }
        for (JsonElement e : alerts) {
            JsonObject a = e.getAsJsonObject();
            JsonObject annotations = a.getAsJsonObject("annotations");
            String name = a.getAsJsonObject("labels").get("alertname").getAsString();
            assertEquals(RUNBOOK_BASE + "/" + annotations.get("runbook").getAsString(), annotations.get("runbook_url").getAsString(), name);
        }
    }

    private static JsonArray firing() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(promUrl + "/api/v1/alerts")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonArray out = new JsonArray();
        JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("data").getAsJsonArray("alerts").forEach(a -> {
            if ("firing".equals(a.getAsJsonObject().get("state").getAsString())) {
                out.add(a);
            }
        });
        return out;
    }

    /** The step panel (Infinity data source): every column it selects is in the worker's /api answer, with its type. */
    @Test
    void stepPanelColumnsExistInTheWorkersScores() throws Exception {
        int checked = 0;
        for (JsonObject target : DashboardApiTargets.all(REPO.resolve("dashboards"))) {
            String url = target.get("url").getAsString().replace("${memaudit_api}", "http://127.0.0.1:" + worker.managementPort())
                    .replace("${run_id:percentencode}", RUN_ID);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), url + ": " + r.body());
            JsonArray rows = JsonParser.parseString(r.body()).getAsJsonArray();
            assertEquals(3, rows.size(), "the three scored checkpoints");
            for (JsonElement c : target.getAsJsonArray("columns")) {
                String selector = c.getAsJsonObject().get("selector").getAsString();
                boolean number = "number".equals(c.getAsJsonObject().get("type").getAsString());
                for (JsonElement row : rows) {
                    JsonElement v = row.getAsJsonObject().get(selector);
                    assertTrue(v != null && v.isJsonPrimitive() && (!number || v.getAsJsonPrimitive().isNumber()),
                            url + ": column " + selector + (number ? " (number)" : "") + " missing from " + row);
                }
            }
            checked++;
        }
        assertTrue(checked > 0, "no panel reads the worker API");
    }
}
