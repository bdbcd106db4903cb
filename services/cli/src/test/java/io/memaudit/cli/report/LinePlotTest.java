package io.memaudit.cli.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinePlotTest {
    @TempDir
    Path dir;

    private static LinePlot.Builder twoSeries() {
        return LinePlot.builder()
                .title("M_KL per checkpoint")
                .xLabel("step")
                .yLabel("M_KL")
                .series("canary", new double[] {0, 100, 200, 300}, new double[] {0.01, 0.05, 0.12, 0.20})
                .series("twin", new double[] {0, 100, 200, 300}, new double[] {0.01, 0.02, 0.01, 0.02});
    }

    @Test
    void writesADecodablePngOfTheRequestedSizeWithSomethingDrawn() throws IOException {
        Path png = dir.resolve("plots/mkl.png");
        twoSeries().threshold(0.1, "alpha").build().writePng(png, 640, 400);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "ImageIO could not decode " + png);
        assertEquals(640, img.getWidth());
        assertEquals(400, img.getHeight());
        assertTrue(countPixels(img, rgb -> rgb != 0xFFFFFF) > 1000, "image is (almost) blank");
    }

    @Test
    void anSvgIsWrittenBesideThePngWithTheSameText() throws IOException {
        Path png = dir.resolve("scores.png");
        twoSeries().build().writePng(png, 640, 400);
        String svg = java.nio.file.Files.readString(dir.resolve("scores.svg"));
        assertTrue(svg.startsWith("<svg") || svg.startsWith("<?xml"), svg.substring(0, 40));
        assertTrue(svg.contains("M_KL per checkpoint") && svg.contains("canary"), "title and legend are text in the SVG");
    }

    /** The controls as a band and zero as a line, not as data: the legend has the feature and the band only. */
    @Test
    void bandsAndReferenceLinesAreNotSeries() {
        double[] x = {1, 2, 3};
        LinePlot plot = LinePlot.builder().title("t").xLabel("epoch").integerX().yLabel("M_KL")
                .series("feature", x, new double[] {0.1, 0.2, 0.4})
                .band("controls", x, new double[] {0.0, 0.05, 0.1}, new double[] {0.2, 0.3, 0.6})
                .referenceLine(1, 0, 3, 0).build();
        XYPlot p = (XYPlot) plot.chart().getPlot();
        assertEquals(1, p.getDataset(0).getSeriesCount());
        assertEquals(1, p.getDataset(1).getSeriesCount());
        assertEquals(1, p.getAnnotations().size());
        assertTrue(p.getRangeAxis().getRange().contains(0.6), "the band is inside the axis: " + p.getRangeAxis().getRange());
    }

    @Test
    void aLogAxisLabelsTheValuesThemselves() {
        LinePlot plot = LinePlot.builder().title("t").xLabel("canaries").logX().yLabel("AUC")
                .series("a", new double[] {1, 10, 100}, new double[] {0.5, 0.6, 0.9}).build();
        assertTrue(((XYPlot) plot.chart().getPlot()).getDomainAxis() instanceof org.jfree.chart.axis.LogAxis);
    }

    @Test
    void thresholdOutsideTheDataIsStillOnTheAxisAndDrawnInRed() throws IOException {
        LinePlot plot = twoSeries().threshold(1.0, "rank-1 bar").build();
        Range y = ((XYPlot) plot.chart().getPlot()).getRangeAxis().getRange();
        assertTrue(y.contains(1.0) && y.contains(0.01), "y range " + y);

        Path with = dir.resolve("with.png");
        plot.writePng(with, 500, 300);
        Path without = dir.resolve("without.png");
        twoSeries().build().writePng(without, 500, 300);
        // pure red (the threshold line and its label) appears only when a threshold is drawn
        assertTrue(countPixels(ImageIO.read(with.toFile()), LinePlotTest::pureRed) > 20);
        assertEquals(0, countPixels(ImageIO.read(without.toFile()), LinePlotTest::pureRed));
    }

    @Test
    void rejectsBadSeries() {
        LinePlot.Builder b = LinePlot.builder();
        assertThrows(IllegalArgumentException.class, () -> b.series("a", new double[] {1, 2}, new double[] {1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.series("z", new double[] {1, 2}, new double[] {1, Double.POSITIVE_INFINITY}));
        assertTrue(e.getMessage().contains("'z'") && e.getMessage().contains("point 1"), e.getMessage());
        assertThrows(IllegalStateException.class, b::build);
        assertThrows(IllegalArgumentException.class,
                () -> twoSeries().series("twin", new double[] {0}, new double[] {0}));
    }

    private static boolean pureRed(int rgb) {
        return ((rgb >> 16) & 0xFF) >= 250 && ((rgb >> 8) & 0xFF) <= 10 && (rgb & 0xFF) <= 10;
    }

    private static int countPixels(BufferedImage img, java.util.function.IntPredicate test) {
        int count = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (test.test(img.getRGB(x, y) & 0xFFFFFF)) {
                    count++;
                }
            }
        }
        return count;
    }
}
