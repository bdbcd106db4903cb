package io.memaudit.common.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheDirsTest {
    private static final String USER_HOME = "/home/from-passwd";

    @Test
    void xdgCacheHomeComesFirst() {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", "/srv/cache", "HOME", "/home/env");
        assertEquals(Path.of("/srv/cache/memaudit"), CacheDirs.root(env, USER_HOME));
    }

    @Test
    void homeFromTheEnvironmentWinsOverJavasUserHome() {
        assertEquals(Path.of("/home/env/.cache/memaudit"), CacheDirs.root(Map.of("HOME", "/home/env"), USER_HOME));
    }

    @Test
    void javasUserHomeWhenTheEnvironmentSaysNothing() {
        assertEquals(Path.of("/home/from-passwd/.cache/memaudit"), CacheDirs.root(Map.of(), USER_HOME));
        assertEquals(Path.of("/home/from-passwd/.cache/memaudit"),
                CacheDirs.root(Map.of("XDG_CACHE_HOME", " ", "HOME", ""), USER_HOME), "blank values count as unset");
    }

    @Test
    void relativeValuesAreIgnoredAsTheXdgSpecificationAsks() {
        assertEquals(Path.of("/home/env/.cache/memaudit"),
                CacheDirs.root(Map.of("XDG_CACHE_HOME", "cache", "HOME", "/home/env"), USER_HOME));
        assertEquals(Path.of("/home/from-passwd/.cache/memaudit"), CacheDirs.root(Map.of("HOME", "."), USER_HOME));
    }

    @Test
    void theRootIsNormalised() {
        assertEquals(Path.of("/srv/cache/memaudit"), CacheDirs.root(Map.of("XDG_CACHE_HOME", "/srv/./tmp/../cache/"), USER_HOME));
    }
}
