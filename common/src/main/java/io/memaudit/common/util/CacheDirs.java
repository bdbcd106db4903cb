package io.memaudit.common.util;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The root of what memaudit downloads once and keeps (data sets, test tools):
 * {@code $XDG_CACHE_HOME/memaudit}, else {@code $HOME/.cache/memaudit}, else
 * {@code <user.home>/.cache/memaudit}.
 *
 * <p>The environment comes first because Java's {@code user.home} is read from the password
 * database and ignores {@code HOME}: a user who points {@code HOME} elsewhere moves npm's cache and
 * the Maven wrapper's with it, and expects memaudit's to follow. A relative {@code XDG_CACHE_HOME}
 * or {@code HOME} is ignored, as the XDG base directory specification asks.
 */
public final class CacheDirs {
    private CacheDirs() {
    }

    /** The cache root from this process's environment. */
    public static Path root() {
        return root(System.getenv(), System.getProperty("user.home"));
    }

    /** The cache root from {@code env}, with {@code userHome} as the last resort. */
    public static Path root(Map<String, String> env, String userHome) {
        Optional<Path> xdg = absolute(env.get("XDG_CACHE_HOME"));
        if (xdg.isPresent()) {
            return xdg.get().resolve("memaudit");
        }
        Path home = absolute(env.get("HOME")).orElseGet(() -> Path.of(userHome));
        return home.resolve(".cache").resolve("memaudit");
    }

    private static Optional<Path> absolute(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path p = Path.of(value);
        return p.isAbsolute() ? Optional.of(p.normalize()) : Optional.empty();
    }
}
