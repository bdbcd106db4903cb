package io.memaudit.cli;

import io.memaudit.common.util.Json;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code bench pipeline} found, built from the raw measurements: the table people read, and the
 * same figures as one JSON object ({@code --json}) for scripts. Serialised as it is, so the component
 * names are the JSON keys.
 */
record PipelineResult(Setup setup, double scoringAloneMs, Saturation saturation, Sustained sustained,
                      double p99ToScoringAlone, Burst burst, Memory memory) {

    /** What was audited and where the checkpoint came from ({@code s3Endpoint} and {@code s3CacheBytes} only for "s3"). */
    record Setup(int n, int controls, String model, String device, String checkpoint, String s3Endpoint, Long s3CacheBytes) { }

    /** How many events each phase published, and the sustained rate as a fraction of saturation. */
    record Plan(int saturationEvents, int events, double load, int burst) { }

    /**
     * The measurements as taken: latencies of the sustained phase in ms, memory as {heap after GC, RSS}
     * in bytes, and how many checkpoints had been scored when the burst began.
     */
    record Measured(double scoringMs, double throughput, double rate, double[] latencies, long[] memBefore,
                    long[] memAfter, double burstSeconds, int scoredBeforeBurst) { }

    record Saturation(int events, double checkpointsPerSecond) { }

    record Sustained(int events, double load, double ratePerSecond, double medianMs, double p99Ms, double maxMs) { }

    record Burst(int events, double seconds, double perSecond) { }

    /**
     * Heap after GC and RSS before and after the burst; the RSS growth over the whole burst and over
     * its second half (a leak keeps growing there, an allocator settling does not); and the RSS trace
     * of the whole run as [checkpoints scored, RSS bytes] pairs, one a second.
     */
    record Memory(long heapBeforeBytes, long heapAfterBytes, long rssBeforeBytes, long rssAfterBytes,
                  double rssGrowthPercent, Double rssSecondHalfGrowthPercent, int scoredBeforeBurst, List<long[]> rssTrace) { }

    static PipelineResult of(Setup setup, Plan plan, Measured m, List<RssSampler.Sample> trace) {
        double[] lat = m.latencies().clone();
        Arrays.sort(lat);
        double p99 = lat[Math.min(lat.length - 1, (int) Math.ceil(0.99 * lat.length) - 1)];
        Sustained sustained = new Sustained(lat.length, plan.load(), m.rate(), ScoreBenchmark.median(lat), p99,
                lat[lat.length - 1]);
        return new PipelineResult(setup, m.scoringMs(), new Saturation(plan.saturationEvents(), m.throughput()), sustained,
                p99 / m.scoringMs(), new Burst(plan.burst(), m.burstSeconds(), plan.burst() / m.burstSeconds()),
                memory(m, plan.burst(), trace));
    }

    private static Memory memory(Measured m, int burst, List<RssSampler.Sample> trace) {
        long before = m.memBefore()[1];
        long after = m.memAfter()[1];
        int start = m.scoredBeforeBurst();
        Long mid = rssAt(trace, start + burst / 2);
        // the trace closes when the burst's last score arrives: its last sample is the burst's end
        Long end = trace.isEmpty() ? null : trace.get(trace.size() - 1).rssBytes();
        Double secondHalf = mid == null || end == null ? null : 100.0 * (end - mid) / mid;
        List<long[]> pairs = trace.stream().map(s -> new long[] {s.scored(), s.rssBytes()}).toList();
        return new Memory(m.memBefore()[0], m.memAfter()[0], before, after, 100.0 * (after - before) / before, secondHalf,
                start, pairs);
    }

    /** RSS of the first sample taken once at least {@code scored} checkpoints were scored, if any. */
    private static Long rssAt(List<RssSampler.Sample> trace, int scored) {
        return trace.stream().filter(s -> s.scored() >= scored).findFirst().map(RssSampler.Sample::rssBytes).orElse(null);
    }

    /** The RSS trace: MiB against checkpoints scored, the burst's start marked. */
    io.memaudit.cli.report.LinePlot rssPlot() {
        double[] x = memory.rssTrace().stream().mapToDouble(p -> p[0]).toArray();
        double[] y = memory.rssTrace().stream().mapToDouble(p -> p[1] / 1048576.0).toArray();
        double top = Arrays.stream(y).max().orElse(0);
        return io.memaudit.cli.report.LinePlot.builder()
                .title(f("Process RSS during bench pipeline (N=%d, K=%d, %s)", setup.n(), setup.controls(),
                        setup.model().toUpperCase(Locale.ROOT)))
                .xLabel("checkpoints scored").yLabel("RSS (MiB)").integerX()
                .series("RSS, sampled once a second", x, y)
                .referenceLine(memory.scoredBeforeBurst(), 0, memory.scoredBeforeBurst(), top)
                .pointLabel(memory.scoredBeforeBurst(), top, "burst of " + burst.events() + " starts")
                .build();
    }

    String json() {
        return Json.GSON.toJson(this);
    }

    List<String> table() {
        Setup s = setup;
        String where = s.checkpoint().equals("file") ? "file" : "on S3 at " + s.s3Endpoint()
                + (s.s3CacheBytes() > 0 ? " (cache " + s.s3CacheBytes() + " bytes)" : " (no cache)");
        return List.of(
                f("probes N=%d, K=%d controls, %s, %s, checkpoint %s", s.n(), s.controls(), s.model().toUpperCase(Locale.ROOT),
                        s.device(), where),
                f("scoring alone (median of 20):        %8.1f ms", scoringAloneMs),
                f("throughput at saturation:            %8.2f checkpoints/s (%d events at once)",
                        saturation.checkpointsPerSecond(), saturation.events()),
                f("end-to-end at %.2f/s (%.0f%% load):   median %8.1f ms, p99 %8.1f ms, max %8.1f ms (%d events)",
                        sustained.ratePerSecond(), 100 * sustained.load(), sustained.medianMs(), sustained.p99Ms(),
                        sustained.maxMs(), sustained.events()),
                f("p99 / scoring alone:                 %8.2f", p99ToScoringAlone),
                f("burst of %d: drained in %.1f s (%.2f/s)", burst.events(), burst.seconds(), burst.perSecond()),
                f("heap after GC: %d MiB before burst, %d MiB after; RSS %d MiB before, %d MiB after",
                        memory.heapBeforeBytes() >> 20, memory.heapAfterBytes() >> 20, memory.rssBeforeBytes() >> 20,
                        memory.rssAfterBytes() >> 20),
                f("RSS growth: %+.1f%% over the burst, %s over its second half", memory.rssGrowthPercent(),
                        memory.rssSecondHalfGrowthPercent() == null ? "not sampled"
                                : f("%+.1f%%", memory.rssSecondHalfGrowthPercent())));
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
