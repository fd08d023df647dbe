package nnlab.experiment.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import nnlab.experiment.AtomicFiles;
import nnlab.experiment.Sweep;

/**
 * A sweep's summary: one typed row per trial (its folder or name, its settings, status and result), the
 * best trial, and {@code summary.csv} (one line per row: the trial, each swept hyperparameter, status and
 * the final figures).
 */
public final class Summary {
    private Summary() {}

    /**
     * One trial in a summary: {@code trial} names it (its folder in a sweep folder, its number and name in
     * a database). The figures are null where the trial has none (not ended, failed, a classifier's RMSE).
     */
    public record Row(String trial, TrialRecord record) {
        public String status() {
            return record.status();
        }

        public Sweep.Trial settings() {
            return record.trial();
        }

        public Double finalDevAcc() {
            return record.result() == null ? null : record.result().finalDevAcc();
        }

        public Double bestDevAcc() {
            return record.result() == null ? null : record.result().bestDevAcc();
        }

        public Double finalTestAcc() {
            return record.result() == null ? null : record.result().finalTestAcc();
        }

        public Double finalTrainRmse() {
            return record.result() == null ? null : record.result().finalTrainRmse();
        }

        public Double finalTestRmse() {
            return record.result() == null ? null : record.result().finalTestRmse();
        }

        public Double trainSeconds() {
            return record.result() == null ? null : record.result().trainSeconds();
        }

        /** The row as summary.csv and the report's table show it: trial, the swept hyperparameters, status, figures, worker. */
        public Map<String, Object> cells(List<String> swept) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("trial", trial);
            for (String k : swept) row.put(k, settings().settings().get(k));
            row.put("status", status());
            if (record.result() != null) {
                Map<String, Object> all = record.result().all();
                for (String k : List.of("final_dev_acc", "best_dev_acc", "final_test_acc", "final_train_rmse", "final_test_rmse",
                        "train_seconds")) {
                    if (all.containsKey(k)) row.put(k, all.get(k));
                }
            }
            if (record.worker() != null) {
                row.put("worker", record.worker());
                row.put("attempts", record.attempts());
            }
            return row;
        }
    }

    /** A sweep's rows, the hyperparameters it varies, and its best trial by final dev accuracy (null when none finished with one). */
    public record Outcome(List<Row> rows, List<String> swept, Row best) {
        /** The rows as summary.csv holds them. */
        public List<Map<String, Object>> cells() {
            return rows.stream().map(r -> r.cells(swept)).toList();
        }
    }

    /**
     * The figure a sweep's best trial is chosen by: dev accuracy, higher is better; for a regression sweep,
     * whose trials have no accuracy, test RMSE, lower is better (the course's Ames data has no dev split, its
     * script reports train and test RMSE, so a regression sweep is judged on test RMSE and its report says so).
     */
    public enum Criterion {
        DEV_ACCURACY("final_dev_acc", false, Row::finalDevAcc),
        TEST_RMSE("final_test_rmse", true, Row::finalTestRmse);

        public final String key;
        public final boolean lowerIsBetter;
        private final Function<Row, Double> figure;

        Criterion(String key, boolean lowerIsBetter, Function<Row, Double> figure) {
            this.key = key;
            this.lowerIsBetter = lowerIsBetter;
            this.figure = figure;
        }

        /** The row's figure, or null. */
        public Double of(Row row) {
            return figure.apply(row);
        }
    }

    public static Criterion criterion(List<Row> rows) {
        boolean regression = rows.stream().anyMatch(r -> r.finalTestRmse() != null) && rows.stream().noneMatch(r -> r.finalDevAcc() != null);
        return regression ? Criterion.TEST_RMSE : Criterion.DEV_ACCURACY;
    }

    /** The best row with a finite figure by {@link #criterion}, or null. */
    public static Row best(List<Row> rows) {
        Criterion c = criterion(rows);
        Comparator<Row> order = Comparator.comparingDouble(r -> c.of(r));
        return rows.stream()
                .filter(r -> c.of(r) != null && Double.isFinite(c.of(r)))
                .max(c.lowerIsBetter ? order.reversed() : order)
                .orElse(null);
    }

    /** A sweep folder's summary: reads each trial's files and writes summary.csv into the folder. */
    public static Outcome of(Path dir, List<Sweep.Trial> trials) {
        List<TrialRecord> records = FolderStore.records(dir, trials);
        Outcome outcome = of(records, r -> dir.relativize(Sweep.trialDir(dir, r.index(), r.trial())).toString());
        write(dir.resolve(Sweep.SUMMARY), outcome.cells());
        return outcome;
    }

    /** The rows of these trials, each named by {@code label}; the best is the trial of highest final dev accuracy. */
    public static Outcome of(List<TrialRecord> records, Function<TrialRecord, String> label) {
        List<String> swept = new ArrayList<>();
        for (TrialRecord r : records) for (String k : r.trial().varied().keySet()) if (!swept.contains(k)) swept.add(k);
        List<Row> rows = records.stream().map(r -> new Row(label.apply(r), r)).toList();
        Row best = rows.stream().filter(r -> r.finalDevAcc() != null).max(Comparator.comparingDouble(Row::finalDevAcc)).orElse(null);
        return new Outcome(rows, swept, best);
    }

    /** Writes rows as CSV, one column per key any row has, quoting cells with commas or quotes. */
    public static void write(Path file, List<Map<String, Object>> rows) {
        if (rows.isEmpty()) return;
        List<String> columns = new ArrayList<>();
        for (Map<String, Object> r : rows) for (String k : r.keySet()) if (!columns.contains(k)) columns.add(k);
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> r : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                Object v = r.get(c);
                String s = v == null ? "" : v.toString();
                cells.add(s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s);
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }
}
