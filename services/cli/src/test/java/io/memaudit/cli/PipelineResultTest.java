package io.memaudit.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code bench pipeline --json}: the figures of a result built by hand, under the keys a script reads. */
class PipelineResultTest {
    /**
     * Latencies 1..100 ms, scoring alone 50 ms, a burst of 1,000 (after 250 scored) drained in 200 s;
     * RSS sampled at 0, 250, ... 1250 scored: 900, 1000, 1050, 1080, 1100, 1100 MiB.
     */
    private static PipelineResult result(PipelineResult.Setup setup) {
        double[] latencies = IntStream.rangeClosed(1, 100).mapToDouble(i -> 101 - i).toArray(); // unsorted on purpose
        long[] rssMib = {900, 1000, 1050, 1080, 1100, 1100};
        // the last sample is taken just before the last score arrives, as in a real run
        List<RssSampler.Sample> trace = IntStream.range(0, rssMib.length)
                .mapToObj(i -> new RssSampler.Sample(Math.min(250 * i, 1249), rssMib[i] << 20)).toList();
        return PipelineResult.of(setup, new PipelineResult.Plan(40, 100, 0.5, 1000), new PipelineResult.Measured(50.0, 4.0,
                2.0, latencies, new long[] {200L << 20, 1000L << 20}, new long[] {210L << 20, 1100L << 20}, 200.0, 250), trace);
    }

    private static PipelineResult.Setup fileSetup() {
        return new PipelineResult.Setup(500, 199, "mlp", "cpu", "file", null, null);
    }

    @Test
    void jsonHasEveryFigureUnderItsKey() {
        JsonObject o = JsonParser.parseString(result(fileSetup()).json()).getAsJsonObject();
        assertEquals(Set.of("setup", "scoringAloneMs", "saturation", "sustained", "p99ToScoringAlone", "burst", "memory"),
                o.keySet());
        JsonObject setup = o.getAsJsonObject("setup");
        assertEquals(500, setup.get("n").getAsInt());
        assertEquals(199, setup.get("controls").getAsInt());
        assertEquals("file", setup.get("checkpoint").getAsString());
        assertFalse(setup.has("s3Endpoint"), "no S3 keys for a file checkpoint");
        assertEquals(50.0, o.get("scoringAloneMs").getAsDouble());
        JsonObject saturation = o.getAsJsonObject("saturation");
        assertEquals(40, saturation.get("events").getAsInt());
        assertEquals(4.0, saturation.get("checkpointsPerSecond").getAsDouble());
        JsonObject sustained = o.getAsJsonObject("sustained");
        assertEquals(100, sustained.get("events").getAsInt());
        assertEquals(0.5, sustained.get("load").getAsDouble());
        assertEquals(2.0, sustained.get("ratePerSecond").getAsDouble());
        assertEquals(50.5, sustained.get("medianMs").getAsDouble());
        assertEquals(99.0, sustained.get("p99Ms").getAsDouble(), "the 99th of 100 sorted latencies");
        assertEquals(100.0, sustained.get("maxMs").getAsDouble());
        assertEquals(99.0 / 50.0, o.get("p99ToScoringAlone").getAsDouble(), 1e-12);
        JsonObject burst = o.getAsJsonObject("burst");
        assertEquals(1000, burst.get("events").getAsInt());
        assertEquals(200.0, burst.get("seconds").getAsDouble());
        assertEquals(5.0, burst.get("perSecond").getAsDouble());
        JsonObject memory = o.getAsJsonObject("memory");
        assertEquals(200L << 20, memory.get("heapBeforeBytes").getAsLong());
        assertEquals(210L << 20, memory.get("heapAfterBytes").getAsLong());
        assertEquals(1000L << 20, memory.get("rssBeforeBytes").getAsLong());
        assertEquals(1100L << 20, memory.get("rssAfterBytes").getAsLong());
        assertEquals(10.0, memory.get("rssGrowthPercent").getAsDouble(), 1e-9, "1000 -> 1100 MiB");
        assertEquals(100.0 * 20 / 1080, memory.get("rssSecondHalfGrowthPercent").getAsDouble(), 1e-9,
                "from 750 scored (1080 MiB) to the last sample (1100 MiB)");
        assertEquals(250, memory.get("scoredBeforeBurst").getAsInt());
        assertEquals(6, memory.getAsJsonArray("rssTrace").size());
        assertEquals(1050L << 20, memory.getAsJsonArray("rssTrace").get(2).getAsJsonArray().get(1).getAsLong());
    }

    @Test
    void theRssPlotIsDrawn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path png = tmp.resolve("rss.png");
        io.memaudit.cli.report.LinePlot plot = result(fileSetup()).rssPlot();
        plot.writePng(png, 900, 500);
        assertEquals(6, plot.chart().getXYPlot().getDataset().getItemCount(0));
        assertEquals(900, javax.imageio.ImageIO.read(png.toFile()).getWidth());
    }

    @Test
    void anS3CheckpointNamesItsEndpointAndCache() {
        JsonObject setup = JsonParser.parseString(result(new PipelineResult.Setup(500, 199, "mlp", "cpu", "s3",
                "http://127.0.0.1:4599", 0L)).json()).getAsJsonObject().getAsJsonObject("setup");
        assertEquals("s3", setup.get("checkpoint").getAsString());
        assertEquals("http://127.0.0.1:4599", setup.get("s3Endpoint").getAsString());
        assertEquals(0, setup.get("s3CacheBytes").getAsLong());
    }

    @Test
    void theTableShowsTheSameFigures() {
        List<String> table = result(fileSetup()).table();
        assertEquals("probes N=500, K=199 controls, MLP, cpu, checkpoint file", table.get(0));
        assertEquals("end-to-end at 2.00/s (50% load):   median     50.5 ms, p99     99.0 ms, max    100.0 ms (100 events)",
                table.get(3));
        assertEquals("burst of 1000: drained in 200.0 s (5.00/s)", table.get(5));
        assertEquals("RSS growth: +10.0% over the burst, +1.9% over its second half", table.get(7));
    }
}
