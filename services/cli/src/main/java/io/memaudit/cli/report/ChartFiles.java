package io.memaudit.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/**
 * Writes charts without a display as a PNG and, beside it, an SVG of the same name (for slides and
 * papers), each all or nothing (a temporary file moved into place).
 */
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
        writeSvg(chart, svgBeside(target), width, height);
    }

    /** {@code scores.png} → {@code scores.svg}. */
    static Path svgBeside(Path png) {
        String name = png.getFileName().toString();
        return png.resolveSibling((name.endsWith(".png") ? name.substring(0, name.length() - 4) : name) + ".svg");
    }

    private static void writeSvg(JFreeChart chart, Path target, int width, int height) throws IOException {
        org.jfree.svg.SVGGraphics2D g = new org.jfree.svg.SVGGraphics2D(width, height);
        chart.draw(g, new java.awt.Rectangle(width, height));
        Path tmp = CsvWriter.newSibling(target);
        try {
            Files.writeString(tmp, g.getSVGDocument(), java.nio.charset.StandardCharsets.UTF_8);
            CsvWriter.moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
