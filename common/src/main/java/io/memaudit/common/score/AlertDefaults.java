package io.memaudit.common.score;

/**
 * Default alert levels, in one place for the worker's configuration, the Prometheus rules (a test keeps
 * them equal) and the plots that draw them.
 */
public final class AlertDefaults {
    /**
     * M_KL above which the worker raises an information alert: the 95th percentile of clean runs'
     * maximum M_KL on the calibration seeds (docs/REPRODUCTION.md).
     */
    public static final double M_KL_THRESHOLD = 0.066;

    private AlertDefaults() { }
}
