package nnlab.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnlab.experiment.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A chart to draw: line series over epochs, or grouped bars. Rendered headless to PNG (for reports
 * and a quick look) and SVG (for print), both written atomically.
 */
public final class Chart {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean bars;
    private final Map<String, double[][]> series = new LinkedHashMap<>();
    private final List<String> categories = new ArrayList<>();

    private Chart(String title, String xLabel, String yLabel, boolean bars) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.bars = bars;
    }

    public static Chart lines(String title, String xLabel, String yLabel) {
        return new Chart(title, xLabel, yLabel, false);
    }

    /** Grouped bars: one group per category, one bar per series. */
    public static Chart bars(String title, String yLabel, List<String> categories) {
        Chart c = new Chart(title, "", yLabel, true);
        c.categories.addAll(categories);
        return c;
    }

    /** The most points a line is drawn with; a longer one is thinned evenly (its first and last kept). */
    static final int MAX_POINTS = 2_000;
    /** Lines with more points than this are drawn without markers, which would blot them out. */
    private static final int MARKED_POINTS = 100;

    /** Adds a line; NaN points are left out (a figure that does not apply). Returns this. */
    public Chart line(String name, double[] x, double[] y) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < x.length; i++) if (Double.isFinite(y[i])) points.add(new double[] {x[i], y[i]});
        if (points.isEmpty()) return this;
        if (points.size() > MAX_POINTS) {
            // 200,000 epochs drawn point by point took minutes and showed nothing more than 2,000 do.
            List<double[]> thinned = new ArrayList<>(MAX_POINTS);
            for (int k = 0; k < MAX_POINTS; k++) thinned.add(points.get((int) Math.round(k * (points.size() - 1.0) / (MAX_POINTS - 1))));
            points = thinned;
        }
        double[][] xy = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            xy[0][i] = points.get(i)[0];
            xy[1][i] = points.get(i)[1];
        }
        series.put(name, xy);
        return this;
    }

    /** Adds a bar series with one value per category (NaN shows as 0). Returns this. */
    public Chart bar(String name, double[] values) {
        double[] clean = values.clone();
        for (int i = 0; i < clean.length; i++) if (!Double.isFinite(clean[i])) clean[i] = 0;
        series.put(name, new double[][] {clean});
        return this;
    }

    /** How many points the line {@code name} is drawn with (0 if there is none); for tests. */
    int points(String name) {
        double[][] xy = series.get(name);
        return xy == null ? 0 : xy[0].length;
    }

    public boolean isEmpty() {
        return series.isEmpty();
    }

    public String title() {
        return title;
    }

    /** Writes {@code base.png} and {@code base.svg}; returns the PNG's path. */
    public Path save(Path base) {
        org.knowm.xchart.internal.chartpart.Chart<?, ?> chart = bars ? category() : xy();
        try {
            AtomicFiles.write(Path.of(base + ".png"), BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
            ByteArrayOutputStream svg = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            AtomicFiles.write(Path.of(base + ".svg"), svg.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("could not render chart '" + title + "' to " + base + ": " + e.getMessage(), e);
        }
        return Path.of(base + ".png");
    }

    private XYChart xy() {
        XYChart chart = new XYChartBuilder().width(720).height(420).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(chart.getStyler());
        chart.getStyler().setMarkerSize(5);
        // Whole-number x values (epochs) get whole, grouped tick labels: 20,000, not 2E4 or 2.5.
        boolean whole = series.values().stream().allMatch(xy -> java.util.Arrays.stream(xy[0]).allMatch(v -> v == Math.rint(v)));
        if (whole) chart.getStyler().setXAxisDecimalPattern("#,##0");
        series.forEach((name, xy) -> chart.addSeries(name, xy[0], xy[1])
                .setMarker(xy[0].length > MARKED_POINTS ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE));
        return chart;
    }

    private CategoryChart category() {
        CategoryChart chart = new CategoryChartBuilder().width(720).height(420).title(title).yAxisTitle(yLabel).build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLabelRotation(categories.size() > 4 ? 30 : 0);
        series.forEach((name, v) -> {
            List<Double> values = new ArrayList<>();
            for (double d : v[0]) values.add(d);
            chart.addSeries(name, categories, values);
        });
        return chart;
    }

    private static void style(Styler styler) {
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        styler.setAntiAlias(true);
    }
}
