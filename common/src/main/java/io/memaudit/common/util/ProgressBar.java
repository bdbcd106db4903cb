package io.memaudit.common.util;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line text progress bar for long work. On a terminal it redraws in place; when the output is a
 * file or pipe it prints a line at every 10 % so logs stay short. Thread-confined: call from one thread.
 */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private long done;
    private int lastDecile = -1;
    private long lastDrawNanos;
    private boolean closed;

    public ProgressBar(String label, long total, PrintStream out) {
        this(label, total, out, System.console() != null);
    }

    public ProgressBar(String label, long total, PrintStream out, boolean interactive) {
        this.label = label;
        this.total = Math.max(total, 1);
        this.out = out;
        this.interactive = interactive;
    }

    /** A bar that draws nothing, for quiet runs and tests. */
    public static ProgressBar silent() {
        return new ProgressBar("", 1, new PrintStream(java.io.OutputStream.nullOutputStream()), false);
    }

    public void step(long n, String suffix) {
        set(done + n, suffix);
    }

    public void set(long value, String suffix) {
        done = Math.min(value, total);
        long now = System.nanoTime();
        int decile = (int) (10 * done / total);
        if (interactive) {
            if (now - lastDrawNanos > 100_000_000L || done == total) {
                out.print("\r" + render(suffix));
                out.flush();
                lastDrawNanos = now;
            }
        } else if (decile != lastDecile) {
            out.println(render(suffix));
            lastDecile = decile;
        }
    }

    String render(String suffix) {
        int filled = (int) (WIDTH * done / total);
        double secs = (System.nanoTime() - startNanos) / 1e9;
        String eta = done == 0 ? "?" : String.format(Locale.ROOT, "%.0fs", secs * (total - done) / done);
        return String.format(Locale.ROOT, "%s [%s%s] %3d%% %d/%d %s ETA %s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), 100 * done / total, done, total, suffix == null ? "" : suffix, eta);
    }

    @Override
    public void close() {
        if (!closed && interactive) {
            out.println();
        }
        closed = true;
    }
}
