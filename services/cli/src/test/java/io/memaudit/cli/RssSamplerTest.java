package io.memaudit.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RSS trace {@code bench pipeline} draws: this process's real RSS, next to the progress given. */
class RssSamplerTest {
    @Test
    void samplesThisProcessWithTheProgressOfTheMoment() throws Exception {
        AtomicInteger progress = new AtomicInteger(7);
        List<RssSampler.Sample> trace;
        try (RssSampler sampler = new RssSampler(progress::get)) {
            while (sampler.trace().isEmpty()) {
                Thread.sleep(10);
            }
            trace = sampler.trace();
        }
        assertEquals(7, trace.get(0).scored());
        long rss = trace.get(0).rssBytes();
        // a JVM that has run JUnit holds tens of MiB at least, and less than the machine has
        assertTrue(rss > 10L << 20 && rss < Runtime.getRuntime().maxMemory() + (8L << 30), "RSS " + rss);
    }
}
