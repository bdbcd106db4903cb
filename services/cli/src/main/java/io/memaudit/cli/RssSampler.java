package io.memaudit.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The process's resident set size once a second, next to a progress count (checkpoints scored), for
 * as long as it is open. A leak shows as a line that keeps rising; the allocator settling shows as
 * a curve that flattens. Two numbers before and after a burst cannot tell the two apart.
 */
final class RssSampler implements AutoCloseable {
    /** One sample: how far the run had got, and the RSS then. */
    record Sample(int scored, long rssBytes) { }

    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    RssSampler(IntSupplier progress) {
        thread = new Thread(() -> {
            while (running) {
                Sample s = new Sample(progress.getAsInt(), rssBytes());
                synchronized (samples) {
                    samples.add(s);
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** The samples so far, oldest first. */
    List<Sample> trace() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** VmRSS of this process in bytes (Linux), or -1 where /proc does not say. */
    static long rssBytes() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).findFirst().orElse(-1L);
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
