package io.memaudit.worker;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How a configuration value is parsed and checked (the type and validator of a Kafka {@code ConfigDef}
 * entry). {@code allowed} completes "expected ..." in error messages and documents the key.
 */
record ValueType(String allowed, Function<String, Object> parser) {
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._-]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+]:\\d{1,5}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu:\\d{1,3}");

    /** The parsed value; an {@link IllegalArgumentException} (message: an optional detail) when not allowed. */
    Object parse(String raw) {
        return parser.apply(raw.strip());
    }

    static ValueType text() {
        return new ValueType("a non-empty string", s -> require(s, !s.isEmpty()));
    }

    static ValueType optionalText() {
        return new ValueType("a string (empty for the default)", s -> s);
    }

    static ValueType integer(int min, int max) {
        String allowed = max == Integer.MAX_VALUE ? "an integer >= " + min : "an integer from " + min + " to " + max;
        return new ValueType(allowed, s -> (int) inRange(Long.parseLong(s), min, max));
    }

    static ValueType longAtLeast(long min) {
        return new ValueType("an integer >= " + min, s -> inRange(Long.parseLong(s), min, Long.MAX_VALUE));
    }

    static ValueType decimal(double min) {
        return new ValueType("a number >= " + min, s -> {
            double d = Double.parseDouble(require(s, DECIMAL.matcher(s).matches()));
            return require(d, Double.isFinite(d) && d >= min);
        });
    }

    /** A number strictly between {@code lo} and {@code hi}. */
    static ValueType decimalIn(double lo, double hi) {
        return new ValueType("a number above " + lo + " and below " + hi, s -> {
            double d = Double.parseDouble(require(s, DECIMAL.matcher(s).matches()));
            return require(d, d > lo && d < hi);
        });
    }

    static ValueType bool() {
        return new ValueType("true or false", s -> {
            String v = s.toLowerCase(Locale.ROOT);
            return require(Boolean.valueOf(v), v.equals("true") || v.equals("false"));
        });
    }

    static ValueType topic() {
        return new ValueType("a Kafka topic name (1-249 of A-Z a-z 0-9 . _ -)", s -> require(s, TOPIC.matcher(s).matches()));
    }

    static ValueType hostPorts() {
        return new ValueType("a comma list of host:port", s -> {
            List<String> entries = list(s);
            for (String e : entries) {
                if (!HOST_PORT.matcher(e).matches()) {
                    throw new IllegalArgumentException("'" + e + "' is not host:port");
                }
            }
            return require(String.join(",", entries), !entries.isEmpty());
        });
    }

    static ValueType devices() {
        return new ValueType("a comma list of auto, cpu, gpu:N (auto alone)", s -> {
            List<String> devices = list(s);
            for (String d : devices) {
                if (!DEVICE.matcher(d).matches()) {
                    throw new IllegalArgumentException("'" + d + "' is not a device");
                }
            }
            if (devices.isEmpty() || devices.stream().distinct().count() < devices.size()) {
                throw new IllegalArgumentException(devices.isEmpty() ? "no device" : "a device is listed twice");
            }
            return require(List.copyOf(devices), !devices.contains("auto") || devices.size() == 1);
        });
    }

    static ValueType paths() {
        return new ValueType("a comma list of directories (empty for the default)", s -> {
            List<Path> paths = new ArrayList<>();
            for (String p : list(s)) {
                paths.add(path(p));
            }
            return List.copyOf(paths);
        });
    }

    /** Buckets or bucket/prefix entries ({@code memaudit.s3.allowed}); empty: none. */
    static ValueType s3Locations() {
        return new ValueType("a comma list of bucket or bucket/prefix (empty: no bucket)", s -> {
            List<io.memaudit.worker.source.S3Location> out = new ArrayList<>();
            for (String e : list(s)) {
                out.add(io.memaudit.worker.source.S3Location.parse(e));
            }
            return List.copyOf(out);
        });
    }

    /** Host names or host:port, lower-cased (empty: none). */
    static ValueType hosts() {
        return new ValueType("a comma list of host or host:port (empty: no host)", s -> {
            List<String> out = new ArrayList<>();
            for (String e : list(s)) {
                String h = e.toLowerCase(Locale.ROOT);
                if (!h.matches("[a-z0-9.-]+(:\\d{1,5})?|\\[[0-9a-f:.]+](:\\d{1,5})?")) {
                    throw new IllegalArgumentException("'" + e + "' is not a host or host:port");
                }
                out.add(h);
            }
            return List.copyOf(out);
        });
    }

    /** An absolute http(s) URL, or empty. */
    static ValueType optionalUrl() {
        return new ValueType("an http(s) URL (empty for the default)", s -> {
            if (s.isEmpty()) {
                return "";
            }
            java.net.URI u;
            try {
                u = new java.net.URI(s);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            return require(u, u.getHost() != null && ("http".equals(u.getScheme()) || "https".equals(u.getScheme())));
        });
    }

    /** Log output: text or json, any case. */
    static ValueType logFormat() {
        return new ValueType("text or json", s -> {
            try {
                return io.memaudit.worker.log.LogFormat.parse(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(); // "expected text or json" says it all
            }
        });
    }

    static ValueType optionalPath() {
        return new ValueType("a directory (empty for the default)", s -> s.isEmpty() ? "" : path(s));
    }

    /** Comma-separated entries, stripped, empty entries dropped. */
    static List<String> list(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    private static Path path(String s) {
        try {
            return Path.of(s).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + s + "' is not a path: " + e.getReason());
        }
    }

    private static long inRange(long value, long min, long max) {
        return require(value, value >= min && value <= max);
    }

    private static <T> T require(T value, boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException();
        }
        return value;
    }
}
