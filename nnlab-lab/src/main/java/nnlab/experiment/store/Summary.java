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
 * A sweep's summary: one row per trial (its folder or name, each swept hyperparameter, status and
 * final figures), as {@code summary.csv} holds it, and the best trial by final dev accuracy.
 */
public final class Summary {
    /** The figures a summary row carries, as result.json names them, when a trial has them. */
    private static final List<String> FIGURES = List.of("final_dev_acc", "best_dev_acc", "final_test_acc", "final_train_rmse",
            "final_test_rmse", "train_seconds");

    private Summary() {}

    /** A sweep folder's summary: reads each trial's files and writes summary.csv into the folder. */
    public static Sweep.Outcome of(Path dir, List<Sweep.Trial> trials) {
        List<TrialRecord> records = FolderStore.records(dir, trials);
        Sweep.Outcome outcome = of(records, r -> dir.relativize(Sweep.trialDir(dir, r.index(), r.trial())).toString());
        write(dir.resolve(Sweep.SUMMARY), outcome.rows());
        return outcome;
    }

    /** The rows of these trials, each named by {@code label}; the best is the finished trial of highest final dev accuracy. */
    public static Sweep.Outcome of(List<TrialRecord> records, Function<TrialRecord, String> label) {
        List<String> variedKeys = new ArrayList<>();
        for (TrialRecord r : records) for (String k : r.trial().varied().keySet()) if (!variedKeys.contains(k)) variedKeys.add(k);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TrialRecord r : records) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("trial", label.apply(r));
            for (String k : variedKeys) row.put(k, r.trial().settings().get(k));
            row.put("status", r.status());
            if (r.result() != null) {
                for (String k : FIGURES) {
                    if (r.result().all().containsKey(k)) row.put(k, r.result().all().get(k));
                }
            }
            if (r.worker() != null) row.put("worker", r.worker());
            rows.add(row);
        }
        Map<String, Object> best = rows.stream()
                .filter(r -> r.get("final_dev_acc") instanceof Number)
                .max(Comparator.comparingDouble(r -> ((Number) r.get("final_dev_acc")).doubleValue()))
                .orElse(null);
        return new Sweep.Outcome(rows, best);
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
