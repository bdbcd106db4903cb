package io.memaudit.deploy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** docker-compose.yml: docker-compose accepts it, and everything it mounts or builds from is in the repository. */
@Tag("ops")
class ComposeTest {
    static final String COMPOSE = "docker-compose.yml";
    static final List<String> SERVICES = List.of("kafka", "audit-worker", "demo-trainer", "prometheus", "alertmanager", "grafana");

    @Test
    void dockerComposeAcceptsTheFile() {
        Tools.DOCKER_COMPOSE.runOk(List.of("-f", COMPOSE, "config", "-q"));
    }

    @Test
    void theStackHasEveryService() {
        Map<String, Object> services = services();
        for (String s : SERVICES) {
            assertTrue(services.containsKey(s), COMPOSE + " has no service " + s);
        }
        assertEquals("apache/kafka:4.1.1", ((Map<?, ?>) services.get("kafka")).get("image"));
    }

    @Test
    void everyMountedAndBuiltPathExists() {
        Map<String, Object> compose = Repo.yaml(Repo.path(COMPOSE));
        Map<?, ?> namedVolumes = compose.get("volumes") instanceof Map<?, ?> v ? v : Map.of();
        List<String> checked = new ArrayList<>();
        services().forEach((name, def) -> {
            Map<?, ?> service = (Map<?, ?>) def;
            Object build = service.get("build");
            if (build != null) {
                String context = String.valueOf(build);
                String dockerfile = "Dockerfile";
                if (build instanceof Map<?, ?> b) {
                    context = b.get("context") == null ? "." : String.valueOf(b.get("context"));
                    dockerfile = b.get("dockerfile") == null ? "Dockerfile" : String.valueOf(b.get("dockerfile"));
                }
                Path ctx = repoPath(name, "build context", context);
                assertTrue(Files.isDirectory(ctx), name + ": build context " + context + " is not a directory");
                Path df = ctx.resolve(dockerfile).normalize();
                assertTrue(Files.isRegularFile(df), name + ": Dockerfile " + dockerfile + " (in " + context + ") does not exist");
                checkCopySources(name, ctx, df);
                checked.add(Repo.relative(df));
            }
            for (Object volume : service.get("volumes") instanceof List<?> l ? l : List.of()) {
                String source;
                if (volume instanceof Map<?, ?> m) {
                    source = String.valueOf(m.get("source"));
                    if (!"bind".equals(m.get("type"))) {
                        assertTrue(namedVolumes.containsKey(source), name + ": volume " + source + " is not declared under volumes:");
                        continue;
                    }
                } else {
                    source = String.valueOf(volume).split(":", 2)[0];
                    if (!(source.startsWith(".") || source.startsWith("/") || source.startsWith("~") || source.startsWith("$"))) {
                        assertTrue(namedVolumes.containsKey(source), name + ": volume " + source + " is not declared under volumes:");
                        continue;
                    }
                }
                Path p = repoPath(name, "bind mount", source);
                assertTrue(Files.exists(p), name + ": mounts " + source + ", which does not exist in the repository");
                checked.add(source);
            }
            for (Object envFile : service.get("env_file") instanceof List<?> l ? l : List.of()) {
                Path p = repoPath(name, "env_file", String.valueOf(envFile));
                assertTrue(Files.isRegularFile(p), name + ": env_file " + envFile + " does not exist");
            }
        });
        assertTrue(checked.size() >= 5, "expected several mounts and builds to check, found " + checked);
    }

    /** A bind mount or build path must be relative to the repository (no machine-specific paths) and stay inside it. */
    private static Path repoPath(String service, String what, String source) {
        if (source.startsWith("/") || source.startsWith("~") || source.startsWith("$")) {
            fail(service + ": " + what + " " + source + " is not relative to the repository");
        }
        Path p = Repo.ROOT.resolve(source).normalize();
        assertTrue(p.startsWith(Repo.ROOT), service + ": " + what + " " + source + " is outside the repository");
        return p;
    }

    private static void checkCopySources(String service, Path context, Path dockerfile) {
        Pattern copy = Pattern.compile("^\\s*(?:COPY|ADD)\\s+(.*)$", Pattern.CASE_INSENSITIVE);
        try {
            for (String line : Files.readAllLines(dockerfile)) {
                Matcher m = copy.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                List<String> words = new ArrayList<>(List.of(m.group(1).trim().split("\\s+")));
                if (words.stream().anyMatch(w -> w.startsWith("--from"))) {
                    continue;
                }
                words.removeIf(w -> w.startsWith("--"));
                for (String src : words.subList(0, words.size() - 1)) {
                    Path p = context.resolve(src).normalize();
                    assertTrue(Files.exists(p), service + ": " + Repo.relative(dockerfile) + " copies " + src
                            + ", which does not exist in the build context");
                }
            }
        } catch (java.io.IOException e) {
            fail("cannot read " + dockerfile + ": " + e);
        }
    }

    @Test
    void imagesNameNoRegistryHost() {
        services().forEach((name, def) -> {
            Object image = ((Map<?, ?>) def).get("image");
            if (image != null) {
                String first = String.valueOf(image).split("/")[0];
                boolean host = String.valueOf(image).contains("/") && (first.contains(".") || first.contains(":") || first.equals("localhost"));
                assertFalse(host, name + ": image " + image + " names a registry host");
            }
        });
    }

    /** Prometheus, Grafana and the worker config point at each other by compose service name and port. */
    @Test
    void servicesFindEachOther() throws Exception {
        Set<String> services = services().keySet();
        String prometheus = Repo.read("deploy/prometheus/prometheus.yml");
        Matcher target = Pattern.compile("^\\s*-\\s*'?([a-z0-9-]+):(\\d+)'?\\s*$", Pattern.MULTILINE).matcher(prometheus);
        int targets = 0;
        while (target.find()) {
            targets++;
            String host = target.group(1);
            assertTrue(host.equals("localhost") || services.contains(host), "prometheus.yml targets " + host
                    + ", which is not a service in " + COMPOSE);
        }
        assertTrue(prometheus.contains("audit-worker:9404"), "prometheus.yml should scrape audit-worker:9404");
        assertTrue(targets >= 2, "found no scrape or Alertmanager targets in prometheus.yml");

        Properties worker = new Properties();
        try (var in = Files.newBufferedReader(Repo.path("deploy/docker/worker.properties"))) {
            worker.load(in);
        }
        assertEquals("9404", worker.getProperty("memaudit.management.port", "9404"), "worker management port");
        assertEquals("kafka:9092", worker.getProperty("memaudit.kafka.bootstrap.servers"));
        assertEquals("/checkpoints", worker.getProperty("memaudit.checkpoints.allowed-roots"));
        assertEquals("/data", worker.getProperty("memaudit.data.dir"));

        String datasources = Repo.read("deploy/grafana/provisioning/datasources/prometheus.yml");
        assertTrue(datasources.contains("url: http://prometheus:9090"), "Grafana's Prometheus data source should be http://prometheus:9090");
        assertTrue(datasources.contains("uid: prometheus"), "Grafana's Prometheus data source should have uid prometheus");
        String provider = Repo.read("deploy/grafana/provisioning/dashboards/memaudit.yml");
        assertTrue(provider.contains("path: /var/lib/grafana/dashboards"), "the dashboard provider should load /var/lib/grafana/dashboards");
        List<?> grafanaVolumes = (List<?>) ((Map<?, ?>) services().get("grafana")).get("volumes");
        assertTrue(grafanaVolumes.stream().anyMatch(v -> String.valueOf(v).startsWith("./dashboards:/var/lib/grafana/dashboards")),
                "compose should mount ./dashboards at /var/lib/grafana/dashboards");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() {
        Object s = Repo.yaml(Repo.path(COMPOSE)).get("services");
        assertTrue(s instanceof Map<?, ?>, COMPOSE + " has no services");
        return (Map<String, Object>) s;
    }
}
