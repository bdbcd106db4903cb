package io.memaudit.deploy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * deploy/k8s, offline: every overlay renders with kubectl's kustomize, and every rendered object has the
 * fields its API requires and the ones an operator relies on (probes, resources, a non-root read-only
 * container with writable scratch, a disruption budget, scraping, alert rules, scaling bounded by the
 * partitions). The PrometheusRule is generated from deploy/prometheus/rules/memaudit.yml and kept equal
 * to it here (rerun with -Dmemaudit.k8s.update=true to regenerate). No cluster is involved.
 */
@Tag("ops")
class K8sManifestsTest {
    static final String RULES = "deploy/prometheus/rules/memaudit.yml";
    static final String PROMETHEUS_RULE = "deploy/k8s/base/prometheusrule.yaml";
    static final List<String> OVERLAYS = List.of("deploy/k8s/overlays/cpu", "deploy/k8s/overlays/gpu");

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> render(String overlay) {
        Tools.Result r = Tools.KUBECTL.run(List.of("kustomize", overlay));
        assertEquals(0, r.exit(), r.describe());
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object d : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(r.output().replaceAll("(?m)^# Warning:.*$", ""))) {
            if (d != null) {
                docs.add((Map<String, Object>) d);
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object cur = node;
        for (String key : path) {
            if (cur instanceof List<?> list) {
                cur = list.isEmpty() ? null : list.get(Integer.parseInt(key));
            } else if (cur instanceof Map<?, ?> m) {
                cur = m.get(key);
            } else {
                return null;
            }
        }
        return (T) cur;
    }

    static Map<String, Object> one(List<Map<String, Object>> docs, String kind) {
        List<Map<String, Object>> of = docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertEquals(1, of.size(), "one " + kind + " in " + docs.stream().map(d -> d.get("kind")).toList());
        return of.get(0);
    }

    @Test
    void everyOverlayRendersObjectsWithTheirRequiredFields() {
        for (String overlay : OVERLAYS) {
            List<Map<String, Object>> docs = render(overlay);
            assertEquals(List.of("ConfigMap", "Deployment", "PodDisruptionBudget", "PodMonitor", "PrometheusRule", "ScaledObject",
                    "Service"), docs.stream().map(d -> (String) d.get("kind")).sorted().toList(), overlay);
            for (Map<String, Object> d : docs) {
                String what = overlay + " " + d.get("kind");
                assertNotNull(d.get("apiVersion"), what + ": apiVersion");
                assertNotNull(at(d, "metadata", "name"), what + ": metadata.name");
                assertEquals("memaudit-worker", at(d, "metadata", "labels", "app.kubernetes.io/name"), what + ": common labels");
            }
            checkDeployment(overlay, docs);
            checkScaling(overlay, docs);
            Map<String, Object> pdb = one(docs, "PodDisruptionBudget");
            assertEquals("policy/v1", pdb.get("apiVersion"));
            assertEquals((Object) at(one(docs, "Deployment"), "spec", "selector", "matchLabels"), at(pdb, "spec", "selector", "matchLabels"),
                    overlay + ": the budget covers the workers");
            assertEquals("management", at(one(docs, "PodMonitor"), "spec", "podMetricsEndpoints", "0", "port"));
            assertEquals("management", at(one(docs, "Service"), "spec", "ports", "0", "name"));
        }
    }

    private static void checkDeployment(String overlay, List<Map<String, Object>> docs) {
        Map<String, Object> dep = one(docs, "Deployment");
        Map<String, Object> selector = at(dep, "spec", "selector", "matchLabels");
        Map<String, Object> podLabels = at(dep, "spec", "template", "metadata", "labels");
        selector.forEach((k, v) -> assertEquals(v, podLabels.get(k), overlay + ": the selector matches the pod template"));
        Map<String, Object> pod = at(dep, "spec", "template", "spec");
        Map<String, Object> c = at(pod, "containers", "0");
        assertEquals("/health", at(c, "livenessProbe", "httpGet", "path"), overlay);
        assertEquals("/ready", at(c, "readinessProbe", "httpGet", "path"), overlay);
        assertEquals("/health", at(c, "startupProbe", "httpGet", "path"), overlay);
        assertNotNull(at(c, "resources", "requests", "memory"), overlay + ": memory request");
        assertNotNull(at(c, "resources", "limits", "memory"), overlay + ": memory limit");
        assertEquals(Boolean.TRUE, at(pod, "securityContext", "runAsNonRoot"), overlay);
        assertEquals(Boolean.TRUE, at(c, "securityContext", "readOnlyRootFilesystem"), overlay);
        assertEquals(Boolean.FALSE, at(c, "securityContext", "allowPrivilegeEscalation"), overlay);
        List<Map<String, Object>> mounts = at(c, "volumeMounts");
        List<Map<String, Object>> volumes = at(pod, "volumes");
        List<Object> volumeNames = volumes.stream().map(v -> v.get("name")).toList();
        for (Map<String, Object> m : mounts) {
            assertTrue(volumeNames.contains(m.get("name")), overlay + ": mount of an undefined volume " + m);
        }
        Properties props = workerProperties(docs);
        String staging = props.getProperty("memaudit.checkpoints.staging-dir");
        assertNotNull(staging, "the staging directory is set");
        assertTrue(mounts.stream().anyMatch(m -> !Boolean.TRUE.equals(m.get("readOnly")) && staging.startsWith((String) m.get("mountPath"))),
                overlay + ": staging " + staging + " is on a writable volume");
        assertTrue(mounts.stream().anyMatch(m -> "/tmp".equals(m.get("mountPath"))), overlay + ": a writable /tmp");
        assertEquals((Object) at(dep, "spec", "template", "spec", "volumes", "0", "configMap", "name"),
                at(one(docs, "ConfigMap"), "metadata", "name"), overlay + ": the generated ConfigMap's hashed name is referenced");
        if (overlay.endsWith("gpu")) {
            assertEquals(1, ((Number) at(c, "resources", "limits", "nvidia.com/gpu")).intValue(), "one GPU per worker");
            assertTrue(((String) c.get("image")).endsWith(":latest-gpu"), (String) c.get("image"));
        }
    }

    private static void checkScaling(String overlay, List<Map<String, Object>> docs) {
        Map<String, Object> so = one(docs, "ScaledObject");
        assertEquals((Object) at(one(docs, "Deployment"), "metadata", "name"), at(so, "spec", "scaleTargetRef", "name"), overlay);
        Map<String, Object> kafka = at(so, "spec", "triggers", "0", "metadata");
        Properties props = workerProperties(docs);
        assertEquals(props.getProperty("memaudit.group.id"), kafka.get("consumerGroup"), overlay + ": KEDA watches the workers' group");
        assertEquals(props.getProperty("memaudit.kafka.bootstrap.servers"), kafka.get("bootstrapServers"), overlay);
        assertEquals("false", kafka.get("allowIdleConsumers"), overlay);
        int partitions = Integer.parseInt(exampleDefault("memaudit.topics.partitions"));
        int max = ((Number) at(so, "spec", "maxReplicaCount")).intValue();
        assertTrue(max <= partitions, overlay + ": maxReplicaCount " + max + " above the " + partitions + " partitions");
        String topic = props.getProperty("memaudit.topic.checkpoints", exampleDefault("memaudit.topic.checkpoints"));
        assertEquals(topic, kafka.get("topic"), overlay);
    }

    private static Properties workerProperties(List<Map<String, Object>> docs) {
        Properties p = new Properties();
        try {
            p.load(new java.io.StringReader((String) at(one(docs, "ConfigMap"), "data", "worker.properties")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p;
    }

    private static String exampleDefault(String key) {
        for (String line : Repo.read("deploy/worker.example.properties").split("\n")) {
            String l = line.startsWith("#") ? line.substring(1).strip() : line.strip();
            if (l.startsWith(key + "=") || l.startsWith(key + " =")) {
                return l.substring(l.indexOf('=') + 1).strip();
            }
        }
        return fail(key + " not in deploy/worker.example.properties");
    }

    /** The PrometheusRule's groups are the alert rules file's, object for object. */
    @Test
    void thePrometheusRuleIsTheAlertRulesFile() throws IOException {
        String expected = prometheusRule();
        Path file = Repo.path(PROMETHEUS_RULE);
        if (Boolean.getBoolean("memaudit.k8s.update")) {
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(file), PROMETHEUS_RULE + " is missing: rerun with -Dmemaudit.k8s.update=true");
        assertEquals(Repo.yaml(Repo.path(RULES)).get("groups"), at(Repo.yaml(file), "spec", "groups"),
                PROMETHEUS_RULE + " differs from " + RULES + ": rerun this test with -Dmemaudit.k8s.update=true");
    }

    private static String blockYaml(Object doc) {
        org.yaml.snakeyaml.DumperOptions o = new org.yaml.snakeyaml.DumperOptions();
        o.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
        o.setWidth(200);
        return new Yaml(o).dump(doc);
    }

    static String prometheusRule() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "monitoring.coreos.com/v1");
        doc.put("kind", "PrometheusRule");
        doc.put("metadata", Map.of("name", "memaudit"));
        doc.put("spec", Map.of("groups", Repo.yaml(Repo.path(RULES)).get("groups")));
        return "# GENERATED from " + RULES + " by K8sManifestsTest (-Dmemaudit.k8s.update=true); edit that file, not this one.\n"
                + blockYaml(doc);
    }
}
