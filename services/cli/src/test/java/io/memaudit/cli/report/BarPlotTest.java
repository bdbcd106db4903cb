package io.memaudit.cli.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.data.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BarPlotTest {
    @TempDir
    Path dir;

    private static BarPlot.Builder variants() {
        return BarPlot.builder().title("oracle per variant").xLabel("variant").yLabel("nats")
                .bar("canary models", "plain", 5.4, 2.7).bar("twins", "plain", 0.3, 1.9)
                .bar("canary models", "bn", 4.0, Double.NaN).bar("twins", "bn", -0.5, 0.2);
    }

    @Test
    void writesADecodablePngWithBarsAndErrorBarsInTheAxisRange() throws IOException {
        BarPlot plot = variants().build();
        Range y = ((CategoryPlot) plot.chart().getPlot()).getRangeAxis().getRange();
        assertTrue(y.contains(5.4 + 2.7) && y.contains(-0.5 - 0.2), "the y axis shows means and whiskers: " + y);
        Path png = dir.resolve("bars/oracle.png");
        plot.writePng(png, 640, 400);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(640, img.getWidth());
        int coloured = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int yy = 0; yy < img.getHeight(); yy++) {
                int rgb = img.getRGB(x, yy) & 0xFFFFFF;
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 100) {
                    coloured++;
                }
            }
        }
        assertTrue(coloured > 5000, "bars are filled with colour, found " + coloured + " coloured pixels");
    }

    @Test
    void keepsCategoriesInFirstSeenOrderAndRejectsBadBars() {
        assertEquals(List.of("plain", "bn"), variants().categories());
        BarPlot.Builder b = variants();
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> b.bar("twins", "bn", 0, 0));
        assertTrue(twice.getMessage().contains("'twins' / 'bn'"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.bar("twins", "l2", Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> b.bar("twins", "l2", 1, -1));
        assertThrows(IllegalStateException.class, () -> BarPlot.builder().build());
    }
}
