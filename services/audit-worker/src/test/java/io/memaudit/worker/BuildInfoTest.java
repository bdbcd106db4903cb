package io.memaudit.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuildInfoTest {
    @Test
    void theBuildWritesTheProjectVersionIntoTheResource() {
        BuildInfo b = BuildInfo.load();
        // the version Maven filtered in (e.g. 0.2.0-SNAPSHOT), not the placeholder and not "unknown"
        assertTrue(b.version().matches("\\d+\\.\\d+\\.\\d+.*"), "version from build.properties: " + b.version());
        assertTrue(!b.revision().contains("${"), "revision placeholder left unfiltered: " + b.revision());
    }

    @Test
    void placeholdersAndBlanksAreUnknown() throws Exception {
        BuildInfo b = BuildInfo.from(new ByteArrayInputStream("version=${project.version}\nrevision=\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new BuildInfo("unknown", "unknown"), b);
        BuildInfo given = BuildInfo.from(new ByteArrayInputStream("version=1.2.3\nrevision=abc123\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new BuildInfo("1.2.3", "abc123"), given);
    }

    @Test
    void theGaugeIsOneAndItsLabelsSayWhatRuns() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        new BuildInfo("1.2.3", "abc123").register(r, "MXNet", "1.9.1");
        Gauge g = r.get("memaudit.build.info").gauge();
        assertEquals(1.0, g.value());
        assertEquals("1.2.3", g.getId().getTag("version"));
        assertEquals("abc123", g.getId().getTag("revision"));
        assertEquals(System.getProperty("java.version"), g.getId().getTag("java"));
        assertEquals("MXNet", g.getId().getTag("engine"));
        assertEquals("1.9.1", g.getId().getTag("engine_version"));
        assertTrue(g.getId().getDescription() != null && !g.getId().getDescription().isBlank());
    }
}
