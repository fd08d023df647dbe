package nnlab.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnlab.experiment.FeatureMaps;
import nnlab.experiment.RunDirectory;
import nnlab.metrics.EpochRecord;

/**
 * The plots and reports of one run, rebuilt from its files alone (config.json, metrics.csv,
 * result.json): loss, accuracy, weight norm and distance to the analytic solution per epoch, where
 * the run has them, then report.md and a self-contained report.html.
 */
public final class RunReport {
    private RunReport() {}

    /** Renders everything into the run's folder; returns the charts written (PNG paths). */
    public static List<Path> render(Path dir) {
        List<EpochRecord> records = RunDirectory.readMetrics(dir);
        Map<String, Object> config = Files.exists(dir.resolve(RunDirectory.CONFIG)) ? RunDirectory.readConfig(dir) : Map.of();
        Map<String, Object> result = RunDirectory.isFinished(dir) ? RunDirectory.readResult(dir) : Map.of();
        String name = String.valueOf(config.getOrDefault("model", dir.getFileName()));
        Map<Chart, String> charts = new LinkedHashMap<>();
        // A regression run's loss columns hold its RMSE (the course's figure), and the axis says so.
        boolean regression = List.of("linear_regression", "nn").contains(name) || result.containsKey("final_test_rmse");
        // Every loss nnlab records is a mean per example (the classic MLP's too, see CourseLoop).
        String loss = regression ? "RMSE" : "loss";
        charts.put(chart(records, name + ": " + loss + " per epoch", regression ? loss : "loss (mean per example)",
                new int[] {1, 3, 5}, "train", "dev", "test"), "loss");
        charts.put(chart(records, name + ": accuracy per epoch", "accuracy", new int[] {2, 4, 6}, "train", "dev", "test"), "accuracy");
        charts.put(chart(records, name + ": weight norm per epoch", "‖W‖ (Frobenius)", new int[] {7}, "weight norm"), "weight_norm");
        charts.put(chart(records, name + ": distance to the analytic solution", "‖w − w*‖", new int[] {8}, "distance"), "dist_to_analytic");
        List<Path> written = new ArrayList<>();
        List<Report.Figure> figures = new ArrayList<>();
        charts.forEach((chart, file) -> {
            if (chart.isEmpty()) return;
            Path png = chart.save(dir.resolve(file));
            written.add(png);
            figures.add(new Report.Figure(chart.title(), png));
        });
        images(dir, result).forEach(grid -> {
            Path png = grid.save(dir.resolve(grid.title().startsWith("Filters") ? "filters.png" : "feature_maps.png"));
            written.add(png);
            figures.add(new Report.Figure(grid.title(), png));
        });
        Report report = new Report("nnlab run: " + name + " (" + dir.getFileName() + ")");
        report.section("Result").table(List.of("figure", "value"), rows(result, true));
        report.section("Configuration").table(List.of("setting", "value"), rows(config, false));
        report.section("Curves");
        figures.forEach(report::figure);
        report.section("Per epoch");
        List<EpochRecord> shown = records;
        if (records.size() > TABLE_ROWS) {
            int every = (records.size() + TABLE_ROWS - 1) / TABLE_ROWS;
            shown = new ArrayList<>();
            for (int i = 0; i < records.size(); i += every) shown.add(records.get(i));
            if (shown.getLast() != records.getLast()) shown.add(records.getLast());
            report.paragraph(records.size() + " epochs: every " + every + "th is shown, and the last; metrics.csv holds them all.");
        }
        report.table(List.of(EpochRecord.COLUMNS), epochRows(shown));
        report.write(dir);
        return written;
    }

    /**
     * A convolutional network's pictures: the first convolution's filters (from best.npz), one row
     * per input channel, and the feature maps of one test image (from feature_maps.npz).
     */
    static List<ImageGrid> images(Path dir, Map<String, Object> result) {
        List<ImageGrid> grids = new ArrayList<>();
        float[][][][] w = FeatureMaps.firstFilters(dir.resolve(RunDirectory.CHECKPOINT));
        if (w != null) {
            int out = w.length, in = w[0].length;
            ImageGrid filters = new ImageGrid("Filters of the first convolution (" + out + " × " + in + " × " + w[0][0].length + "×"
                    + w[0][0][0].length + ", best checkpoint" + (result.get("best_epoch") != null ? ", epoch " + result.get("best_epoch") : "")
                    + "; red positive, blue negative)");
            for (int c = 0; c < in; c++) {
                List<float[][]> maps = new ArrayList<>();
                List<String> titles = new ArrayList<>();
                for (int o = 0; o < out; o++) {
                    maps.add(w[o][c]);
                    titles.add("filter " + o);
                }
                filters.row(in == 1 ? "weights" : "input channel " + c, maps, titles, ImageGrid.Scale.DIVERGING);
            }
            grids.add(filters);
        }
        FeatureMaps.Saved saved = FeatureMaps.read(dir);
        if (saved != null) {
            ImageGrid grid = new ImageGrid("Feature maps of test image 0 (label " + saved.label() + ", predicted " + saved.predicted()
                    + "), after each convolution's ReLU; final model");
            saved.maps().forEach((key, planes) -> {
                List<String> titles = new ArrayList<>();
                for (int c = 0; c < planes.length; c++) titles.add((key.equals("image") ? "channel " : "map ") + c);
                grid.row(key.equals("image") ? "input" : key.replace("conv", "conv ") + " (" + planes[0].length + "×" + planes[0][0].length + ")",
                        List.of(planes), titles, ImageGrid.Scale.GREY);
            });
            grids.add(grid);
        }
        return grids;
    }

    /** A line chart of the given metrics.csv columns (indices into {@link EpochRecord#values()}). */
    static Chart chart(List<EpochRecord> records, String title, String yLabel, int[] columns, String... names) {
        Chart chart = Chart.lines(title, "epoch", yLabel);
        double[] epochs = records.stream().mapToDouble(EpochRecord::epoch).toArray();
        for (int c = 0; c < columns.length; c++) {
            int column = columns[c];
            chart.line(names[c], epochs, records.stream().mapToDouble(r -> r.values()[column]).toArray());
        }
        return chart;
    }

    private static List<List<String>> rows(Map<String, Object> map, boolean skipNested) {
        List<List<String>> rows = new ArrayList<>();
        map.forEach((k, v) -> {
            if (v instanceof Map<?, ?> nested) {
                if (skipNested) return;
                nested.forEach((k2, v2) -> rows.add(List.of(k + "." + k2, Report.format(v2))));
            } else {
                rows.add(List.of(k, Report.format(v)));
            }
        });
        return rows;
    }

    /** The most epochs the report's table lists; a longer run's table is thinned (metrics.csv keeps every one). */
    static final int TABLE_ROWS = 200;

    private static List<List<String>> epochRows(List<EpochRecord> records) {
        List<List<String>> rows = new ArrayList<>();
        for (EpochRecord r : records) {
            List<String> row = new ArrayList<>();
            for (double v : r.values()) row.add(Report.format(v));
            row.set(0, Integer.toString(r.epoch()));
            rows.add(row);
        }
        return rows;
    }
}
