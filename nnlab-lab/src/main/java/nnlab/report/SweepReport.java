package nnlab.report;

import nnlab.experiment.store.FolderStore;
import nnlab.experiment.store.Summary;
import nnlab.experiment.store.TrialRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nnlab.experiment.Json;
import nnlab.experiment.RunDirectory;
import nnlab.experiment.Sweep;
import nnlab.metrics.EpochRecord;

/**
 * The plots and report of a sweep, rebuilt from its folder alone (sweep.json and each trial's files):
 * per swept hyperparameter, its trials' dev accuracy and training loss per epoch overlaid; a bar chart
 * of every trial's final dev and test accuracy; the summary table and the best trial. A regression
 * sweep shows RMSE instead (train and test; lower is better).
 */
public final class SweepReport {
    private SweepReport() {}

    /**
     * A sweep folder's plots and report, rebuilt from its sweep.json and its trials' files (a shard's:
     * the trials it runs); returns its summary.
     */
    public static Summary.Outcome render(Path dir) {
        Map<String, Object> spec = Sweep.readSpec(dir);
        List<Sweep.Trial> trials = Sweep.trials(spec);
        FolderStore.Shard shard = spec.get("shard") == null ? FolderStore.Shard.ALL : FolderStore.Shard.parse(String.valueOf(spec.get("shard")));
        List<TrialRecord> records = FolderStore.records(dir, trials).stream().filter(r -> shard.owns(r.index())).toList();
        String title = "nnlab sweep: " + model(spec) + " (" + dir.getFileName() + (shard == FolderStore.Shard.ALL ? "" : ", shard " + shard) + ")";
        Summary.Outcome outcome = Summary.of(records, r -> dir.relativize(Sweep.trialDir(dir, r.index(), r.trial())).toString());
        Summary.write(dir.resolve(Sweep.SUMMARY), outcome.cells());
        render(dir, title, spec, records, outcome);
        return outcome;
    }

    /**
     * The plots and report of a sweep from its stored trials (a database's, or several shards' folders):
     * writes summary.csv, plots/ and the report into {@code dir}.
     */
    public static Summary.Outcome render(Path dir, String title, Map<String, Object> spec, List<TrialRecord> records,
                                       java.util.function.Function<TrialRecord, String> label) {
        Summary.Outcome outcome = Summary.of(records, label);
        Summary.write(dir.resolve(Sweep.SUMMARY), outcome.cells());
        render(dir, title, spec, records, outcome);
        return outcome;
    }

    private static String model(Map<String, Object> spec) {
        return spec.get("base") instanceof Map<?, ?> base ? String.valueOf(base.get("model")) : "?";
    }

    @SuppressWarnings("unchecked")
    private static List<Path> render(Path dir, String title, Map<String, Object> spec, List<TrialRecord> records, Summary.Outcome outcome) {
        List<Sweep.Trial> trials = records.stream().map(TrialRecord::trial).toList();
        Path plots = dir.resolve("plots");
        List<Path> written = new ArrayList<>();
        List<Report.Figure> figures = new ArrayList<>();
        String model = model(spec);
        Summary.Criterion criterion = Summary.criterion(outcome.rows());
        // A regression sweep (Ames) has RMSE where a classifier's has accuracy, and no dev split: its curves
        // and bars show train and test RMSE, and its best trial is the one of lowest test RMSE.
        boolean regression = criterion.lowerIsBetter;
        List<String> swept = new ArrayList<>(((Map<String, Object>) spec.get("grid")).keySet());
        if (spec.get("ranges") instanceof Map<?, ?> ranges) for (Object k : ranges.keySet()) swept.add(String.valueOf(k));
        for (String key : swept) {
            Chart dev = regression ? Chart.lines(model + ": test RMSE per epoch, varying " + key, "epoch", "test RMSE")
                    : Chart.lines(model + ": dev accuracy per epoch, varying " + key, "epoch", "dev accuracy");
            Chart loss = regression ? Chart.lines(model + ": train RMSE per epoch, varying " + key, "epoch", "train RMSE")
                    : Chart.lines(model + ": training loss per epoch, varying " + key, "epoch", "training loss");
            for (int i = 0; i < trials.size(); i++) {
                Sweep.Trial t = trials.get(i);
                if (!t.varied().containsKey(key) && !(t.varied().isEmpty())) continue;
                List<EpochRecord> epochRecords = records.get(i).epochs();
                if (epochRecords.isEmpty()) continue;
                double[] epochs = epochRecords.stream().mapToDouble(EpochRecord::epoch).toArray();
                String label = t.varied().isEmpty() ? key + "=" + t.settings().get(key) + " (base)" : t.name();
                dev.line(label, epochs, epochRecords.stream().mapToDouble(regression ? EpochRecord::testLoss : EpochRecord::devAccuracy)
                        .toArray());
                loss.line(label, epochs, epochRecords.stream().mapToDouble(EpochRecord::trainLoss).toArray());
            }
            for (var entry : List.of(Map.entry(dev, (regression ? "test_rmse-" : "dev_acc-") + key),
                    Map.entry(loss, (regression ? "train_rmse-" : "train_loss-") + key))) {
                if (entry.getKey().isEmpty()) continue;
                Path png = entry.getKey().save(plots.resolve(entry.getValue()));
                written.add(png);
                figures.add(new Report.Figure(entry.getKey().title(), png));
            }
        }
        List<String> names = new ArrayList<>();
        double[][] finals = new double[2][outcome.rows().size()];
        for (int i = 0; i < outcome.rows().size(); i++) {
            Summary.Row row = outcome.rows().get(i);
            names.add(trials.get(i).name());
            Double[] finalsOf = regression ? new Double[] {row.finalTrainRmse(), row.finalTestRmse()}
                    : new Double[] {row.finalDevAcc(), row.finalTestAcc()};
            for (int c = 0; c < 2; c++) finals[c][i] = finalsOf[c] == null ? Double.NaN : finalsOf[c];
        }
        Chart bars = regression
                ? Chart.bars(model + ": final RMSE per trial", "RMSE", names).bar("train", finals[0]).bar("test", finals[1])
                : Chart.bars(model + ": final accuracy per trial", "accuracy", names).bar("dev", finals[0]).bar("test", finals[1]);
        Path barsPng = bars.save(plots.resolve(regression ? "final_rmse" : "final_accuracy"));
        written.add(barsPng);

        Report report = new Report(title);
        report.section(regression ? "Best trial (lowest test RMSE: the data has no dev split)" : "Best trial (highest dev accuracy)");
        Summary.Row best = Summary.best(outcome.rows());
        if (best == null) {
            report.paragraph(outcome.rows().stream().anyMatch(r -> !r.record().ended())
                    ? "No trial has finished yet." : "No trial finished with a figure to choose by (see the trials' status).");
        } else {
            report.table(List.of("figure", "value"), best.cells(outcome.swept()).entrySet().stream()
                    .map(e -> List.of(e.getKey(), Report.format(e.getValue()))).toList());
        }
        report.section("Trials");
        List<Map<String, Object>> cells = outcome.cells();
        List<String> header = new ArrayList<>();
        for (Map<String, Object> r : cells) for (String k : r.keySet()) if (!header.contains(k)) header.add(k);
        report.table(header, cells.stream().map(r -> header.stream().map(h -> Report.format(r.get(h))).toList()).toList());
        report.figure(new Report.Figure(bars.title(), barsPng));
        report.section("Curves");
        figures.forEach(report::figure);
        report.section("Sweep").paragraph("Base settings: " + spec.get("base")).paragraph(spec.get("random") != null
                ? "Random search: " + spec.get("random") + " draws (search seed " + spec.get("search_seed") + ") from the ranges "
                        + spec.get("ranges") + (((Map<?, ?>) spec.get("grid")).isEmpty() ? "" : " and the choices " + spec.get("grid"))
                : "Grid: " + spec.get("grid") + (Boolean.TRUE.equals(spec.get("one_at_a_time")) ? " (one hyperparameter at a time)" : " (full grid)"));
        if ("median".equals(spec.get("prune"))) {
            report.paragraph("Median pruning: a trial whose dev accuracy at an epoch fell below the median of the finished trials' at "
                    + "that epoch (once five had finished) was stopped there, status pruned.");
        }
        report.write(dir);
        return written;
    }
}
