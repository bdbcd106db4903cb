package io.memaudit.worker.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjectCacheTest {
    @TempDir
    Path tmp;

    private Path file(String name, int size) throws Exception {
        return Files.write(tmp.resolve(name), new byte[size]);
    }

    @Test
    void theLeastRecentlyUsedGoFirstWhenTheBytesDoNotFit() throws Exception {
        ObjectCache c = new ObjectCache(tmp.resolve("cache"), 250);
        c.put("a", file("a", 100), 100);
        c.put("b", file("b", 100), 100);
        assertTrue(c.get("a").isPresent()); // a is now the most recently used
        c.put("c", file("c", 100), 100);    // 300 > 250: b goes
        assertTrue(c.get("a").isPresent());
        assertFalse(c.get("b").isPresent());
        assertTrue(c.get("c").isPresent());
        assertEquals(200, c.bytes());
        c.put("huge", file("huge", 300), 300); // larger than the whole cache: not kept, nothing evicted
        assertFalse(c.get("huge").isPresent());
        assertEquals(2, c.size());
        assertArrayEquals(new byte[100], Files.readAllBytes(c.get("c").orElseThrow()));
    }

    @Test
    void sizeZeroKeepsNothing() throws Exception {
        ObjectCache c = new ObjectCache(tmp.resolve("off"), 0);
        assertFalse(c.enabled());
        c.put("a", file("a", 1), 1);
        assertFalse(c.get("a").isPresent());
    }
}
