package io.memaudit.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rules in deploy/prometheus/rules/*.yml, read as plain YAML. */
final class AlertRules {
    static final String RULES_DIR = "deploy/prometheus/rules";
    static final String TESTS_DIR = "deploy/prometheus/tests";

    /** One alerting or recording rule. */
    record Rule(Path file, String group, String alert, String record, String expr, String forDuration,
                Map<String, String> labels, Map<String, String> annotations) {
        String name() {
            return alert != null ? alert : record;
        }
    }

    private AlertRules() {
    }

    static List<Path> ruleFiles() {
        return Repo.files(RULES_DIR, ".yml", ".yaml");
    }

    static List<Path> testFiles() {
        return Repo.files(TESTS_DIR, ".yml", ".yaml");
    }

    static List<Rule> all() {
        List<Rule> out = new ArrayList<>();
        for (Path f : ruleFiles()) {
            for (Map<?, ?> group : maps(Repo.yaml(f).get("groups"))) {
                for (Map<?, ?> r : maps(group.get("rules"))) {
                    out.add(new Rule(f, str(group.get("name")), str(r.get("alert")), str(r.get("record")), str(r.get("expr")),
                            str(r.get("for")), strings(r.get("labels")), strings(r.get("annotations"))));
                }
            }
        }
        return out;
    }

    static List<Rule> alerts() {
        return all().stream().filter(r -> r.alert() != null).toList();
    }

    static List<Map<?, ?>> maps(Object o) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object x : l) {
                if (x instanceof Map<?, ?> m) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    static Map<String, String> strings(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }

    static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
