package io.memaudit.worker;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads raw settings: a {@code .properties} or {@code .yaml}/{@code .yml} file, and environment variables.
 *
 * <p>YAML: nested maps flatten to dotted keys ({@code memaudit: {topic: {scores: x}}} is
 * {@code memaudit.topic.scores=x}), lists join with commas, an empty value is the empty string.
 *
 * <p>Environment: a {@code memaudit.*} key is set by its upper-cased name with '.' and '-' replaced by '_'
 * ({@code MEMAUDIT_TOPIC_SCORES}); a Kafka client setting by {@code KAFKA_} and its name upper-cased with
 * '.' replaced by '_' ({@code KAFKA_SASL_JAAS_CONFIG} is {@code kafka.sasl.jaas.config}). The reverse
 * mapping turns every '_' into '.', so a client setting whose name contains '_' cannot be set from the
 * environment: put it in the file.
 */
final class ConfigSources {
    static final String ENV_KAFKA_PREFIX = "KAFKA_";

    private ConfigSources() { }

    /** The file's settings, in file order. */
    static Map<String, String> readFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".properties")) {
                return readProperties(file);
            }
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                return readYaml(file);
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        throw new ConfigException("config file " + file + ": unknown format; use .properties, .yaml or .yml");
    }

    private static Map<String, String> readProperties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config file " + file + " is not a valid properties file: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, properties.getProperty(k)));
        return out;
    }

    private static Map<String, String> readYaml(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(options)).load(reader);
        } catch (YAMLException e) {
            throw new ConfigException("config file " + file + " is not valid YAML: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null) {
            return out;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ConfigException("config file " + file + ": expected a YAML mapping of settings at the top level");
        }
        flatten("", map, out, file);
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out, Path file) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object value = e.getValue();
            if (value instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, out, file);
            } else if (out.put(key, scalar(value, key, file)) != null) {
                throw new ConfigException("config file " + file + ": key " + key + " is set twice");
            }
        }
    }

    private static String scalar(Object value, String key, Path file) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> list) {
            if (list.stream().anyMatch(v -> v instanceof Map || v instanceof List)) {
                throw new ConfigException("config file " + file + ": " + key + " is a list of lists or maps; expected plain values");
            }
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    /**
     * Settings from the environment: every {@code memaudit.*} key whose variable is set, and every
     * {@code KAFKA_*} variable as a {@code kafka.*} key. Keys map to the variable names they came from.
     */
    static Map<String, String> fromEnvironment(Map<String, String> env, Map<String, String> sourceVariables) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            String value = env.get(key.envVar());
            if (value != null) {
                out.put(key.name(), value);
                sourceVariables.put(key.name(), key.envVar());
            }
        }
        env.keySet().stream().sorted().filter(v -> v.startsWith(ENV_KAFKA_PREFIX) && v.length() > ENV_KAFKA_PREFIX.length())
                .forEach(v -> {
                    String key = ConfigKeys.KAFKA_PREFIX + v.substring(ENV_KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                    out.put(key, env.get(v));
                    sourceVariables.put(key, v);
                });
        return out;
    }

    /** Unset-looking variables that are probably typos of a key's variable, e.g. MEMAUDIT_TOPIC_SCORE. */
    static List<String> envTypos(Map<String, String> env) {
        List<String> known = ConfigKeys.ALL.stream().map(ConfigKey::envVar).collect(Collectors.toList());
        return env.keySet().stream().sorted().filter(v -> v.startsWith("MEMAUDIT_") && !known.contains(v))
                .flatMap(v -> known.stream().filter(k -> ConfigKeys.distance(v, k) <= 2).limit(1)
                        .map(k -> "environment variable " + v + " sets nothing; did you mean " + k + "?"))
                .collect(Collectors.toList());
    }
}
