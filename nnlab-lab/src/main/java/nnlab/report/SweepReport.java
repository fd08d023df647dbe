package nnlab.report;

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
 * of every trial's final dev and test accuracy; the summary table and the best trial.
 */
public final class SweepReport {
    private SweepReport() {}

    @SuppressWarnings("unchecked")
    public static List<Path> render(Path dir) {
        Map<String, Object> spec = Json.read(dir.resolve(Sweep.SPEC));
        List<Sweep.Trial> trials = Sweep.trials(spec);
        Sweep.Outcome outcome = Sweep.summarise(dir, trials);
        Path plots = dir.resolve("plots");
        List<Path> written = new ArrayList<>();
        List<Report.Figure> figures = new ArrayList<>();
        String model = String.valueOf(((Map<String, Object>) spec.get("base")).get("model"));
        for (String key : ((Map<String, Object>) spec.get("grid")).keySet()) {
            Chart dev = Chart.lines(model + ": dev accuracy per epoch, varying " + key, "epoch", "dev accuracy");
            Chart loss = Chart.lines(model + ": training loss per epoch, varying " + key, "epoch", "training loss");
            for (int i = 0; i < trials.size(); i++) {
                Sweep.Trial t = trials.get(i);
                if (!t.varied().containsKey(key) && !(t.varied().isEmpty())) continue;
                Path trialDir = Sweep.trialDir(dir, i, t);
                if (!Files.exists(trialDir.resolve(RunDirectory.METRICS))) continue;
                List<EpochRecord> records = RunDirectory.readMetrics(trialDir);
                double[] epochs = records.stream().mapToDouble(EpochRecord::epoch).toArray();
                String label = t.varied().isEmpty() ? key + "=" + t.settings().get(key) + " (base)" : t.name();
                dev.line(label, epochs, records.stream().mapToDouble(EpochRecord::devAccuracy).toArray());
                loss.line(label, epochs, records.stream().mapToDouble(EpochRecord::trainLoss).toArray());
            }
            for (var entry : List.of(Map.entry(dev, "dev_acc-" + key), Map.entry(loss, "train_loss-" + key))) {
                if (entry.getKey().isEmpty()) continue;
                Path png = entry.getKey().save(plots.resolve(entry.getValue()));
                written.add(png);
                figures.add(new Report.Figure(entry.getKey().title(), png));
            }
        }
        List<String> names = new ArrayList<>();
        double[] devAccuracy = new double[outcome.rows().size()], testAccuracy = new double[outcome.rows().size()];
        for (int i = 0; i < outcome.rows().size(); i++) {
            Map<String, Object> row = outcome.rows().get(i);
            names.add(trials.get(i).name());
            devAccuracy[i] = row.get("final_dev_acc") instanceof Number n ? n.doubleValue() : Double.NaN;
            testAccuracy[i] = row.get("final_test_acc") instanceof Number n ? n.doubleValue() : Double.NaN;
        }
        Chart bars = Chart.bars(model + ": final accuracy per trial", "accuracy", names).bar("dev", devAccuracy).bar("test", testAccuracy);
        Path barsPng = bars.save(plots.resolve("final_accuracy"));
        written.add(barsPng);

        Report report = new Report("nnlab sweep: " + model + " (" + dir.getFileName() + ")");
        report.section("Best trial");
        if (outcome.best() == null) {
            report.paragraph("No trial has finished yet.");
        } else {
            report.table(List.of("figure", "value"), outcome.best().entrySet().stream()
                    .map(e -> List.of(e.getKey(), Report.format(e.getValue()))).toList());
        }
        report.section("Trials");
        List<String> header = outcome.rows().isEmpty() ? List.of() : new ArrayList<>(outcome.rows().get(0).keySet());
        report.table(header, outcome.rows().stream().map(r -> header.stream().map(h -> Report.format(r.get(h))).toList()).toList());
        report.figure(new Report.Figure(bars.title(), barsPng));
        report.section("Curves");
        figures.forEach(report::figure);
        report.section("Sweep").paragraph("Base settings: " + spec.get("base")).paragraph("Grid: " + spec.get("grid")
                + (Boolean.TRUE.equals(spec.get("one_at_a_time")) ? " (one hyperparameter at a time)" : " (full grid)"));
        report.write(dir);
        return written;
    }
}
