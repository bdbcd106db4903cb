package io.memaudit.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/**
 * Grouped bars of means with ± one standard deviation as error bars, one group per category (e.g. a
 * model variant) and one bar per series (e.g. canary models, twins), written as a PNG without a display.
 * A dashed line marks y = 0. Build with {@link #builder()}.
 */
public final class BarPlot {
    static {
        ChartFiles.headless();
    }

    /** One bar: series, category, mean and standard deviation (NaN: no error bar). */
    record Bar(String series, String category, double mean, double sd) { }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Bar> bars;

    private BarPlot(Builder b) {
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.bars = List.copyOf(b.bars);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Renders the chart and writes it to {@code target} (via a temporary file and a move). */
    public void writePng(Path target, int width, int height) throws IOException {
        ChartFiles.writePng(chart(), target, width, height);
    }

    /** The JFreeChart behind the PNG. */
    public JFreeChart chart() {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (Bar b : bars) {
            data.add(Double.valueOf(b.mean()), Double.isNaN(b.sd()) ? null : Double.valueOf(b.sd()), b.series(), b.category());
        }
        StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setErrorIndicatorPaint(Color.DARK_GRAY);
        renderer.setItemMargin(0.05);
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(true);
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis(xLabel), y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.addRangeMarker(new ValueMarker(0, Color.GRAY,
                new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Collects the bars; series and categories keep the order of their first bar. */
    public static final class Builder {
        private String title = "";
        private String xLabel = "";
        private String yLabel = "";
        private final List<Bar> bars = new ArrayList<>();

        public Builder title(String title) {
            this.title = Objects.requireNonNull(title, "title");
            return this;
        }

        public Builder xLabel(String label) {
            this.xLabel = Objects.requireNonNull(label, "xLabel");
            return this;
        }

        public Builder yLabel(String label) {
            this.yLabel = Objects.requireNonNull(label, "yLabel");
            return this;
        }

        /**
         * Adds one bar.
         *
         * @param sd standard deviation drawn as an error bar; NaN draws none (e.g. one value)
         * @throws IllegalArgumentException on a non-finite mean, a negative or infinite sd, or a second
         *                                  bar for the same series and category
         */
        public Builder bar(String series, String category, double mean, double sd) {
            Objects.requireNonNull(series, "series");
            Objects.requireNonNull(category, "category");
            if (!Double.isFinite(mean)) {
                throw new IllegalArgumentException("bar '" + series + "' / '" + category + "': mean is not finite: " + mean);
            }
            if (!Double.isNaN(sd) && !(sd >= 0 && Double.isFinite(sd))) {
                throw new IllegalArgumentException("bar '" + series + "' / '" + category + "': sd must be >= 0 or NaN, got " + sd);
            }
            if (bars.stream().anyMatch(b -> b.series().equals(series) && b.category().equals(category))) {
                throw new IllegalArgumentException("bar '" + series + "' / '" + category + "' was added twice");
            }
            bars.add(new Bar(series, category, mean, sd));
            return this;
        }

        /** The categories added so far, in order. */
        public List<String> categories() {
            Set<String> c = new LinkedHashSet<>();
            bars.forEach(b -> c.add(b.category()));
            return List.copyOf(c);
        }

        /** @throws IllegalStateException when no bar was added */
        public BarPlot build() {
            if (bars.isEmpty()) {
                throw new IllegalStateException("a bar plot needs at least one bar");
            }
            return new BarPlot(this);
        }
    }
}
