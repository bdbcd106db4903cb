package io.memaudit.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/** Writes charts as PNG files without a display, all or nothing (a temporary file moved into place). */
final class ChartFiles {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ChartFiles() { }

    /**
     * Loads this class, whose initialiser sets {@code java.awt.headless} unless the user did; plot classes
     * call it from their own initialisers so the property is set before any chart (fonts, AWT) is built.
     */
    static void headless() {
        // the work is in the static initialiser
    }

    static void writePng(JFreeChart chart, Path target, int width, int height) throws IOException {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("PNG size must be positive, got " + width + "×" + height);
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = CsvWriter.newSibling(target);
        try {
            ChartUtils.saveChartAsPNG(tmp.toFile(), chart, width, height);
            CsvWriter.moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
