package io.memaudit.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A line chart of named (x, y) series written as a PNG and an SVG, without a display: white
 * background, grey grid, a legend, markers on every point; optionally a shaded band (the controls'
 * range), an alert threshold (a labelled dashed line the y axis always includes), reference lines
 * drawn as lines rather than as data (zero, the chance diagonal), integer or logarithmic x ticks, and
 * small labels on points ({@code n = 3} where fewer runs make up a mean). Build with {@link #builder()}.
 */
public final class LinePlot {
    static {
        ChartFiles.headless();
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<XYSeries> series;
    private final Double threshold;
    private final String thresholdLabel;
    private final boolean integerX;
    private final boolean logX;
    private final List<Band> bands;
    private final List<double[]> referenceLines;
    private final List<PointLabel> pointLabels;

    /** A shaded range from {@code lo} to {@code hi} at each x. */
    private record Band(String name, double[] x, double[] lo, double[] hi) { }

    /** A small text at one point. */
    private record PointLabel(double x, double y, String text) { }

    private LinePlot(Builder b) {
        this.integerX = b.integerX;
        this.logX = b.logX;
        this.bands = List.copyOf(b.bands);
        this.referenceLines = List.copyOf(b.referenceLines);
        this.pointLabels = List.copyOf(b.pointLabels);
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.series = List.copyOf(b.series);
        this.threshold = b.threshold;
        this.thresholdLabel = b.thresholdLabel;
    }

    /**
     * Okabe & Ito's colour-blind-safe colours, dark enough on white (their yellow left out): JFreeChart's
     * default palette puts red next to green and yellow on white.
     */
    static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0xE69F00), new Color(0x56B4E9), Color.BLACK, new Color(0x777777)};

    public static Builder builder() {
        return new Builder();
    }

    /** Renders the chart and writes it to {@code target} (via a temporary file and a move). */
    public void writePng(Path target, int width, int height) throws IOException {
        ChartFiles.writePng(chart(), target, width, height);
    }

    /** The JFreeChart behind the PNG, for callers that want another format. */
    public JFreeChart chart() {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        style(plot);
        addBands(plot);
        for (double[] l : referenceLines) {
            plot.addAnnotation(new org.jfree.chart.annotations.XYLineAnnotation(l[0], l[1], l[2], l[3],
                    new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3f, 3f}, 0f), Color.GRAY));
        }
        for (PointLabel l : pointLabels) {
            org.jfree.chart.annotations.XYTextAnnotation t = new org.jfree.chart.annotations.XYTextAnnotation(l.text(), l.x(), l.y());
            t.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            t.setPaint(Color.DARK_GRAY);
            t.setTextAnchor(TextAnchor.BOTTOM_CENTER);
            plot.addAnnotation(t);
        }
        if (threshold != null) {
            plot.addRangeMarker(thresholdMarker());
            includeThreshold((NumberAxis) plot.getRangeAxis());
        }
        return chart;
    }

    private void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        // later series on top: a highlighted point added last (the shipped rule) is not hidden under a line
        plot.setSeriesRenderingOrder(org.jfree.chart.plot.SeriesRenderingOrder.FORWARD);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setDefaultStroke(new BasicStroke(2f));
        renderer.setAutoPopulateSeriesStroke(false);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        plot.setRenderer(renderer);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
        if (integerX) {
            plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        if (logX) {
            org.jfree.chart.axis.LogAxis log = new org.jfree.chart.axis.LogAxis(plot.getDomainAxis().getLabel());
            log.setBase(10);
            log.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            log.setNumberFormatOverride(new java.text.DecimalFormat("0"));
            log.setSmallestValue(0.5);
            plot.setDomainAxis(log);
        }
    }

    /** Bands go in a second dataset drawn behind the lines, light and without markers. */
    private void addBands(XYPlot plot) {
        if (bands.isEmpty()) {
            return;
        }
        org.jfree.data.xy.YIntervalSeriesCollection data = new org.jfree.data.xy.YIntervalSeriesCollection();
        org.jfree.chart.renderer.xy.DeviationRenderer r = new org.jfree.chart.renderer.xy.DeviationRenderer(true, false);
        for (int i = 0; i < bands.size(); i++) {
            Band b = bands.get(i);
            org.jfree.data.xy.YIntervalSeries s = new org.jfree.data.xy.YIntervalSeries(b.name());
            for (int k = 0; k < b.x().length; k++) {
                s.add(b.x()[k], b.lo()[k], b.lo()[k], b.hi()[k]); // its line on the lower edge, not at a midpoint that means nothing
            }
            data.addSeries(s);
            r.setSeriesPaint(i, new Color(0x999999));
            r.setSeriesFillPaint(i, new Color(0xDDDDDD));
            r.setSeriesStroke(i, new BasicStroke(0.5f));
        }
        r.setAlpha(0.6f);
        plot.setDataset(1, data);
        plot.setRenderer(1, r);
        plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD);
    }

    private ValueMarker thresholdMarker() {
        ValueMarker marker = new ValueMarker(threshold, Color.RED,
                new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        if (thresholdLabel != null) {
            marker.setLabel(thresholdLabel);
            marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            marker.setLabelPaint(Color.RED);
            marker.setLabelBackgroundColor(Color.WHITE);
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        }
        return marker;
    }

    /** Markers do not take part in auto-ranging; widen the y axis so the threshold is visible. */
    private void includeThreshold(NumberAxis axis) {
        double lo = threshold;
        double hi = threshold;
        for (XYSeries s : series) {
            if (!s.isEmpty()) {
                lo = Math.min(lo, s.getMinY());
                hi = Math.max(hi, s.getMaxY());
            }
        }
        for (Band b : bands) {
            for (int k = 0; k < b.x().length; k++) {
                lo = Math.min(lo, b.lo()[k]);
                hi = Math.max(hi, b.hi()[k]);
            }
        }
        double margin = hi > lo ? 0.05 * (hi - lo) : (hi == 0 ? 1 : 0.1 * Math.abs(hi));
        axis.setRange(lo - margin, hi + margin);
    }

    /** Collects the chart's parts; series keep the order they were added in. */
    public static final class Builder {
        private String title = "";
        private String xLabel = "";
        private String yLabel = "";
        private final List<XYSeries> series = new ArrayList<>();
        private Double threshold;
        private String thresholdLabel;
        private boolean integerX;
        private boolean logX;
        private final List<Band> bands = new ArrayList<>();
        private final List<double[]> referenceLines = new ArrayList<>();
        private final List<PointLabel> pointLabels = new ArrayList<>();

        /** A logarithmic x axis (base 10, ticks labelled with the values themselves); x must be positive. */
        public Builder logX() {
            this.logX = true;
            return this;
        }

        /** A shaded range, in the legend as {@code name} (e.g. the controls from their mean to their maximum). */
        public Builder band(String name, double[] x, double[] lo, double[] hi) {
            if (x.length != lo.length || x.length != hi.length) {
                throw new IllegalArgumentException("band '" + name + "': " + x.length + " x values, " + lo.length + " low, " + hi.length + " high");
            }
            bands.add(new Band(name, x.clone(), lo.clone(), hi.clone()));
            return this;
        }

        /** A thin grey dashed line from (x1, y1) to (x2, y2), not a data series (the chance diagonal, zero). */
        public Builder referenceLine(double x1, double y1, double x2, double y2) {
            referenceLines.add(new double[] {x1, y1, x2, y2});
            return this;
        }

        /** A small text just above the point (x, y). */
        public Builder pointLabel(double x, double y, String text) {
            pointLabels.add(new PointLabel(x, y, text));
            return this;
        }

        /** Ticks on whole numbers only on the x axis (epochs, steps). */
        public Builder integerX() {
            this.integerX = true;
            return this;
        }

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
         * Adds a series drawn in x order.
         *
         * @throws IllegalArgumentException on a duplicate name, x and y of different lengths, or a
         *                                  non-finite value (naming the series and the index)
         */
        public Builder series(String name, double[] x, double[] y) {
            Objects.requireNonNull(name, "series name");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but "
                        + y.length + " y values");
            }
            if (series.stream().anyMatch(s -> s.getKey().equals(name))) {
                throw new IllegalArgumentException("series '" + name + "' was added twice");
            }
            XYSeries s = new XYSeries(name, true, true);
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                    throw new IllegalArgumentException("series '" + name + "', point " + i
                            + " is not finite: (" + x[i] + ", " + y[i] + ")");
                }
                s.add(x[i], y[i]);
            }
            series.add(s);
            return this;
        }

        /** A dashed horizontal line at {@code y}, labelled when {@code label} is not null. */
        public Builder threshold(double y, String label) {
            if (!Double.isFinite(y)) {
                throw new IllegalArgumentException("threshold must be finite, got " + y);
            }
            this.threshold = y;
            this.thresholdLabel = label;
            return this;
        }

        /** @throws IllegalStateException when no series was added */
        public LinePlot build() {
            if (series.isEmpty()) {
                throw new IllegalStateException("a line plot needs at least one series");
            }
            return new LinePlot(this);
        }
    }
}
